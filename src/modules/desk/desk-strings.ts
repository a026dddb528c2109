import type { WorkItemKind } from '../work-items/work-item-kinds';

/**
 * The desk's words, in one place so that the message catalogue can take them over: the to-do
 * kinds, the states, and what each refusal code means to an official.
 */
export const KIND_LABELS: Record<WorkItemKind, string> = {
  register: '上传作业清册',
  claim: '申报',
  verify: '村级核实',
  objection: '处理异议',
  'acceptance.open': '发起验收',
  'acceptance.sign': '验收签字',
  'contract.sign': '签订合同',
  'audit.sample': '抽样走访',
  'audit.approve': '区级审核',
  'mediaNotice.open': '发布媒体公示',
  'payout.issue': '发放补助',
  'batch.result': '上传银行回单',
};

export const STATE_LABELS: Record<string, string> = {
  awarded: '已中标，待签合同',
  contracted: '已签合同',
  inService: '作业中',
  districtAudit: '区级审核中',
  audited: '已审核',
  mediaNotice: '媒体公示中',
  payable: '待拨付',
  payoutIssued: '已发放，待银行确认',
  paid: '已拨付',
  terminated: '已终止',
  pending: '未开始',
  working: '作业中',
  claimed: '已申报',
  villageVerification: '村级核实中',
  townAcceptance: '待镇验收',
  accepted: '已验收',
  withdrawn: '已撤回',
  verifying: '待核实',
  noticeRunning: '公示中',
  noticeCleared: '公示期满',
};

export const ROLE_LABELS: Record<string, string> = {
  admin: '系统管理员',
  cooperative: '服务组织',
  village_verifier: '村核实小组',
  town_acceptor: '镇验收小组',
  district_agri: '区农业农村委',
  district_finance: '区财政局',
  observer: '审计观察员',
};

export const ATTACHMENT_LABELS: Record<string, string> = {
  legal_person_certificate: '法人证书',
  contract_scan: '合同扫描件',
  register_scan: '清册扫描件',
  other: '其他',
};

/** A refusal code as an official reads it; an unknown code falls back to its English detail. */
export const CODE_MESSAGES: Record<string, string> = {
  VALIDATION_FAILED: '填写的内容有误，请按提示修改。',
  UNAUTHENTICATED: '用户名或密码不正确。',
  FORBIDDEN: '您的角色不能进行这个操作。',
  SEPARATION_OF_DUTIES: '服务组织不能核实、验收、审核或拨付自己的作业。',
  NOT_FOUND: '没有找到，或不在您的管辖范围内。',
  INVALID_TRANSITION: '合同当前的状态不能进行这个操作，可能已经有人处理过了。',
  VERSION_CONFLICT: '合同刚被别人修改过，请刷新页面后再试。',
  AREA_ABOVE_PREVIOUS_STAGE: '面积不能超过上一环节的面积。',
  CLAIM_INCOMPLETE: '申报前需要至少一条清册记录，并上传法人证书、合同扫描件和清册扫描件。',
  ALREADY_SIGNED: '您已经在这份验收记录上签过字。',
  ACCEPTANCE_VILLAGES_INVALID: '请为每个村填写一次验收面积。',
  REGISTER_FILE_REJECTED: '清册文件无法读取，请使用 CSV 或 XLSX 格式，第一行为表头。',
  ATTACHMENT_TOO_LARGE: '附件太大。',
  TOO_MANY_REQUESTS: '尝试次数太多，请稍后再试。',
  PASSWORD_CHANGE_REQUIRED: '请先修改临时密码。',
  CSRF_REJECTED: '页面已过期，请重新打开后再提交。',
};

/** Row codes of a register upload. */
export const ROW_CODE_MESSAGES: Record<string, string> = {
  INVALID_ID_NUMBER: '身份证号不正确',
  UNKNOWN_VILLAGE: '村代码不在本合同内',
  UNKNOWN_TASK: '作业环节不在本合同内',
  AREA_INVALID: '面积不正确',
  AFTER_DEADLINE: '作业日期晚于合同完成期限',
  MISSING_SIGNATURE: '缺少签字',
  DUPLICATE_PLOT_TASK: '该地块的这个环节已经登记过',
  OVER_ASSIGNED_AREA: '超过合同分配的面积',
};

/** The history's events (the machine's event types) as a timeline reads them. */
export const EVENT_LABELS: Record<string, string> = {
  'contract.awarded': '中标',
  'contract.signed': '签订合同',
  'work.started': '开始作业',
  'taskLine.claimed': '申报',
  'taskLine.reworked': '退回整改',
  'taskLine.withdrawn': '撤回环节',
  'village.verified': '村级核实',
  'objection.filed': '收到异议',
  'objection.resolved': '处理异议',
  'notice.elapsed': '公示期满',
  'acceptance.completed': '镇验收通过',
  'audit.approved': '区级审核通过',
  'audit.rejected': '区级审核驳回',
  'audit.sampleDrawn': '抽取样本',
  'audit.visitRecorded': '登记走访',
  'mediaNotice.opened': '发布媒体公示',
  'payout.issued': '发放补助',
  'payout.confirmed': '银行确认到账',
  'payout.failed': '银行退回',
  'contract.terminated': '终止合同',
};

export function stateLabel(state: string): string {
  return STATE_LABELS[state] ?? state;
}

/* The district bureaus' desk (issue 26). */

export const VISIT_METHOD_LABELS: Record<string, string> = {
  household: '入户了解',
  field: '实地查看',
  phone: '电话回访',
};

export const SATISFACTION_LABELS: Record<string, string> = {
  satisfied: '满意',
  neutral: '一般',
  dissatisfied: '不满意',
};

export const PAYOUT_STATE_LABELS: Record<string, string> = {
  issued: '已发放，待银行确认',
  confirmed: '银行已确认到账',
  failed: '银行退回',
};

export const BATCH_STATE_LABELS: Record<string, string> = {
  sent: '已送银行，待回单',
  reconciled: '已对账',
};

/** The district's refusal codes, as an official reads them. */
Object.assign(CODE_MESSAGES, {
  APPROVAL_EXISTS: '您所在的局已经审核通过过这份合同。',
  AUDIT_SAMPLE_EXISTS: '这份合同已经抽取过样本，每份合同只抽取一次。',
  AUDIT_SAMPLE_INCOMPLETE: '请先抽取样本并登记每一户的走访，再审核。',
  AUDIT_SAMPLE_SHORTFALL: '审核面积超过了抽样走访结果允许的上限。',
  NOT_IN_SAMPLE: '这一行不在抽取的样本里。',
  ALREADY_VISITED: '这一行已经登记过走访。',
  PAYOUT_EXISTS: '这份合同的补助已经发放过。',
  IDEMPOTENCY_KEY_REUSED: '这张表单已经提交过别的内容，请刷新页面后再试。',
  IDEMPOTENCY_KEY_MISSING: '页面已过期，请刷新页面后再提交。',
  PROVIDER_NOT_ELIGIBLE: '服务组织不在名录库内，不能发放补助。',
  PAYOUT_IN_BATCH: '有补助已经在另一个支付批次里。',
  BATCH_EMPTY: '没有待送银行的补助，不能生成批次。',
  RESULT_FILE_REJECTED: '银行回单无法读取：请上传银行返回的 CSV 或 XLSX 文件，第一行为表头。',
  UNSUPPORTED_MEDIA_TYPE: '文件类型不对：走访照片须为 JPEG 或 PNG。',
  PAYLOAD_TOO_LARGE: '文件太大。',
});

// --- The season at a glance, the calculation sheet, the users pages (issue 26) --------------

/** The stages of an area, in order, as the dashboard's charts and tables name them. */
export const STAGE_LABELS = {
  assigned: '分配',
  claimed: '申报',
  verified: '村核实',
  accepted: '镇验收',
  audited: '区审核',
  paid: '已拨付',
} as const;

export const DASHBOARD_LABELS = {
  title: '项目概览',
  pickProject: '选择项目',
  pickHint: '选择一个项目，查看它的作业面积、资金、合同和公示情况。',
  show: '查看',
  noProjects: '您的管辖范围内还没有项目。',
  tableOf: '图表数据',
  areaByTask: '各作业环节的面积（亩）',
  areaByVillage: '各村的面积（亩）',
  money: '资金：预算、已承诺与已拨付（元）',
  contractsByState: '各状态的合同数',
  noticesByVillage: '各村的公示与异议',
  satisfaction: '入户走访的满意度',
  task: '作业环节',
  village: '村',
  registered: '清册登记',
  item: '项目',
  yuan: '金额（元）',
  budget: '预算',
  committed: '已承诺（审核通过）',
  paidMoney: '已拨付（银行确认）',
  noBudget: '（未设预算）',
  state: '状态',
  contracts: '合同数',
  runningNotices: '公示中',
  openObjections: '待处理异议',
  dismissedObjections: '已驳回异议',
  upheldObjections: '已支持异议',
  answer: '回答',
  households: '户数',
  satisfied: '满意',
  neutral: '基本满意',
  dissatisfied: '不满意',
  chartAlt: (title: string) => `${title}：柱状图，数字见图下的表格。`,
  empty: '暂无数据。',
} as const;

export const CALCULATION_LABELS = {
  title: (contractNo: string) => `补助资金计算表 · ${contractNo}`,
  back: '返回合同',
  lines: '各作业环节',
  villages: '各村面积（亩）',
  task: '作业环节',
  village: '村',
  rows: '清册行数',
  unitPrice: '中标单价（元/亩）',
  perMu: '每亩补助（元/亩）',
  amount: '金额（元）',
  formula: '计算过程',
  total: '合同补助合计',
  capCut: '封顶扣减',
  policy: '补助政策',
  noPolicy: '无（按中标单价）',
  signers: '签字人',
  stage: '环节',
  name: '姓名',
  decision: '结论',
  at: '时间',
  notYet: '尚未审核，金额待定。',
  link: '补助资金计算表',
} as const;

export const USERS_LABELS = {
  title: '用户管理',
  newUser: '新建用户',
  filter: '筛选',
  role: '角色',
  region: '行政区划代码',
  active: '状态',
  any: '全部',
  activeYes: '启用',
  activeNo: '已停用',
  username: '用户名',
  displayName: '姓名',
  organisation: '服务组织 ID',
  acceptanceRole: '验收角色',
  password: '初始密码',
  passwordHint: '至少 10 个字符，不能与用户名相同。',
  create: '创建用户',
  deactivate: '停用',
  reactivate: '启用',
  resetPassword: '重置密码',
  temporaryPassword: '临时密码',
  temporaryPasswordHint: '只显示这一次：请当面或通过电话告知本人，登录后须立即修改。',
  previous: '上一页',
  next: '下一页',
  total: (n: number) => `共 ${n} 个用户`,
  actions: '操作',
} as const;

/** Who signed a stage of the calculation sheet, beyond the user roles (ROLE_LABELS). */
export const SIGNER_LABELS: Record<string, string> = {
  technical_guidance: '技术指导',
  township_leader: '乡镇分管领导',
  station_head: '农业服务站站长',
  farmer_supervisor: '农民监督员',
  agriculture: '区农业农村委',
  finance: '区财政局',
  pass: '通过',
  fail: '不通过',
  approved: '审核通过',
};
