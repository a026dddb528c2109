/**
 * The Chinese catalogue (zh-CN), the default language and the model of every other catalogue:
 * one entry per message, a function from its parameters to the words. `messages.en.ts` must have
 * the same keys with the same parameters (its type is `Catalogue`): a key missing there, or one
 * used in code but missing here, does not compile. How to add a message: docs/architecture.md,
 * "Messages and languages".
 *
 * Parameters are codes, numbers and the user's own text, never words of one language; field
 * names and codes stay as the API spells them.
 */

/** What `notFound(what, id)` names, as the code passes it. */
export type Entity =
  | 'Acceptance record'
  | 'Audit chain'
  | 'Audit sample'
  | 'Audit sample of contract'
  | 'Audit visit'
  | 'Contract'
  | 'District'
  | 'Document'
  | 'Notice'
  | 'Objection'
  | 'Organisation'
  | 'Payment batch'
  | 'Payout'
  | 'Project'
  | 'Region'
  | 'Register row'
  | 'Task line'
  | 'Tender'
  | 'User'
  | 'Village part';

const ENTITY: Record<Entity, string> = {
  'Acceptance record': '验收记录',
  'Audit chain': '审计链',
  'Audit sample': '审核抽样',
  'Audit sample of contract': '合同的审核抽样',
  'Audit visit': '走访记录',
  Contract: '合同',
  District: '县(区)',
  Document: '文书',
  Notice: '公示',
  Objection: '异议',
  Organisation: '服务组织',
  'Payment batch': '拨付批次',
  Payout: '拨付单',
  Project: '项目',
  Region: '行政区划',
  'Register row': '清册行',
  'Task line': '作业环节',
  Tender: '招标',
  User: '用户',
  'Village part': '村作业',
};

const TITLES: Record<number, string> = {
  400: '请求有误',
  401: '未登录',
  403: '无权操作',
  404: '不存在',
  405: '不支持的请求方法',
  409: '状态冲突',
  413: '内容过大',
  415: '不支持的内容类型',
  422: '无法处理的内容',
  429: '请求过于频繁',
  500: '服务器内部错误',
  503: '服务暂不可用',
};

const ID_PROBLEM = {
  shape: '不是 18 位(17 位数字加一位校验码或 X)',
  check: '校验码不对',
  birthDate: '出生日期不存在',
} as const;

/**
 * The words for the codes a message may name (states, events, roles, region levels, attachment
 * kinds): a Chinese reader never sees the API's English code. Keys are the codes as the API
 * spells them; a code not listed here is shown as it is.
 */
const STATE: Record<string, string> = {
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

/** A payout's own states (PayoutState). */
const PAYOUT_STATE: Record<string, string> = {
  issued: '已发放，待银行确认',
  confirmed: '银行已确认到账',
  failed: '银行已退回',
};

/** A town acceptance record's states (AcceptanceRecordState). */
const ACCEPTANCE_STATE: Record<string, string> = {
  open: '签字中',
  failed: '未通过',
  complete: '已完成',
  superseded: '已被新版本取代',
};

/** An objection's states (ObjectionState). */
const OBJECTION_STATE: Record<string, string> = {
  open: '待处理',
  dismissed: '驳回',
  upheld: '支持',
};

/** How a notice stopped taking objections, by its status (NoticeStatus). */
const NOTICE_CLOSED: Record<string, string> = {
  running: '已关闭',
  cleared: '已期满',
  superseded: '已撤回',
  terminated: '已因合同终止而关闭',
};

/** The machine's event types (and the commands that send them) as an official names the step. */
const EVENT: Record<string, string> = {
  'contract.awarded': '中标',
  'contract.signed': '签订合同',
  'work.started': '开始作业',
  'taskLine.claimed': '申报',
  'taskLine.reworked': '退回整改',
  'taskLine.withdrawn': '撤回作业环节',
  'village.verified': '村级核实',
  'objection.filed': '提出异议',
  'objection.resolved': '处理异议',
  'notice.elapsed': '公示期满',
  'acceptance.opened': '发起验收',
  'acceptance.completed': '镇级验收',
  'audit.approved': '区级审核批准',
  'audit.rejected': '区级审核驳回',
  'audit.sampleDrawn': '抽取审核样本',
  'audit.visitRecorded': '记录走访',
  'mediaNotice.opened': '发布媒体公示',
  'payout.issued': '发放补助',
  'payout.confirmed': '确认到账',
  'payout.failed': '记录银行退回',
  'payment_batch.created': '编入拨付批次',
  'contract.terminated': '终止合同',
};

const ROLE: Record<string, string> = {
  admin: '系统管理员',
  cooperative: '服务组织',
  village_verifier: '村核实小组',
  town_acceptor: '镇验收小组',
  district_agri: '区农业农村委',
  district_finance: '区财政局',
  observer: '审计观察员',
};

/** A town acceptance group member's part (AcceptanceRole). */
const ACCEPTANCE_ROLE: Record<string, string> = {
  technical_guidance: '技术指导人员',
  township_leader: '乡镇分管领导',
  station_head: '农技站站长',
  farmer_supervisor: '农民监督员',
};

const REGION_LEVEL: Record<string, string> = { district: '县(区)', town: '乡镇', village: '村' };

/** What a claim still needs (`missing` of CLAIM_INCOMPLETE): register rows, attachment kinds. */
const CLAIM_NEEDS: Record<string, string> = {
  'register rows': '清册记录',
  legal_person_certificate: '法人证书',
  contract_scan: '合同扫描件',
  register_scan: '清册扫描件',
};

const label =
  (table: Record<string, string>) =>
  (code: string): string =>
    Object.hasOwn(table, code) ? table[code] : code;
const state = label(STATE);
const event = label(EVENT);
const role = label(ROLE);
const level = label(REGION_LEVEL);
const roles = (list: string) => list.split(', ').map(role).join('、');
const acceptanceRoles = (list: string) => list.split(', ').map(label(ACCEPTANCE_ROLE)).join('、');

const orNone = (list: string) => (list === '' ? '无' : list);

export const zh = {
  // --- Answers of any route (problem+json) ------------------------------------------------
  'http.title': (p: { status: number }) => TITLES[p.status] ?? '错误',
  'http.noRoute': () => '没有这个接口',
  'http.bodyTooLarge': () => '请求体超过允许的大小',
  'http.bodyNotJson': () => '请求体不是合法的 JSON',
  'http.bodyCharset': () =>
    '请求体须为 UTF-8 编码的 JSON(Content-Type: application/json; charset=utf-8)',
  'http.bodyEncoding': () => 'Content-Encoding 只能是 gzip、deflate、br 或 identity',
  'http.bodyUnreadable': () => '请求体无法读取（编码是否与声明一致？）',
  'http.tooManyRequests': () => '请求过于频繁，请稍后再试',
  'http.tooManyRequestsRetry': (p: { seconds: number }) => `请求过于频繁，请 ${p.seconds} 秒后再试`,
  'http.methodNotAllowed': () => '该接口不支持此请求方法',
  'http.unsupportedMediaType': (p: { text: string }) => `不支持的内容类型：${p.text}`,
  'http.other': (p: { text: string }) => `请求无法处理：${p.text}`,
  'http.internal': () => '发生了意外错误，已记入日志',
  notFound: (p: { what: Entity; id: string }) => `${ENTITY[p.what]} ${p.id} 不存在`,
  notFoundWithThisId: (p: { what: Entity }) => `没有这个 id 的${ENTITY[p.what]}`,

  // --- Validation (errors[].message, and the detail that sums them up) ----------------------
  'validation.summary.one': (p: { field: string; message: string }) => `${p.field}：${p.message}`,
  'validation.summary.many': (p: { count: number }) => `${p.count} 个字段不符合要求`,
  'validation.isString': (p: { field: string }) => `${p.field} 必须是字符串`,
  'validation.isDefined': (p: { field: string }) => `${p.field} 不能为空`,
  'validation.isNotEmpty': (p: { field: string }) => `${p.field} 不能为空`,
  'validation.isLength': (p: { field: string; min: number; max?: number }) =>
    p.max === undefined
      ? `${p.field} 长度至少为 ${p.min} 个字符`
      : `${p.field} 长度须在 ${p.min} 到 ${p.max} 个字符之间`,
  'validation.minLength': (p: { field: string; min: number }) =>
    `${p.field} 长度至少为 ${p.min} 个字符`,
  'validation.maxLength': (p: { field: string; max: number }) =>
    `${p.field} 长度不能超过 ${p.max} 个字符`,
  'validation.isIn': (p: { field: string; values: string }) =>
    `${p.field} 必须是以下值之一：${p.values}`,
  'validation.matches': (p: { field: string }) => `${p.field} 格式不正确`,
  'validation.isArray': (p: { field: string }) => `${p.field} 必须是数组`,
  'validation.arrayMinSize': (p: { field: string; min: number }) =>
    `${p.field} 至少要有 ${p.min} 项`,
  'validation.arrayMaxSize': (p: { field: string; max: number }) => `${p.field} 最多 ${p.max} 项`,
  'validation.arrayUnique': (p: { field: string }) => `${p.field} 各项不能重复`,
  'validation.isUuid': (p: { field: string }) => `${p.field} 必须是 UUID`,
  'validation.min': (p: { field: string; min: number }) => `${p.field} 不能小于 ${p.min}`,
  'validation.max': (p: { field: string; max: number }) => `${p.field} 不能大于 ${p.max}`,
  'validation.isInt': (p: { field: string }) => `${p.field} 必须是整数`,
  'validation.isNumber': (p: { field: string }) => `${p.field} 必须是数字`,
  'validation.isBoolean': (p: { field: string }) => `${p.field} 必须是 true 或 false`,
  'validation.nestedValidation': (p: { field: string }) => `${p.field} 必须是对象或对象数组`,
  'validation.whitelistValidation': (p: { field: string }) => `${p.field} 不是本请求的字段`,
  'validation.unknownValue': () => '请求体必须是 JSON 对象',
  'validation.isTwoDecimals': (p: { field: string; positive: boolean; max: string }) =>
    `${p.field} 必须是${p.positive ? '大于 0 的' : '非负'}数，最多两位小数，不超过 ${p.max}`,
  'validation.isCalendarDate': (p: { field: string }) => `${p.field} 必须是 YYYY-MM-DD 格式的日期`,
  'validation.other': (p: { text: string }) => `不符合要求（${p.text}）`,
  'validation.nul': () => '不能包含 NUL 字符',
  'validation.notUnicode': () => '必须是合法的 Unicode 文本',
  'validation.tooDeep': (p: { max: number }) => `嵌套超过 ${p.max} 层`,
  'validation.notAField': () => '不是本请求的字段',
  'validation.badKey': () => '含有不是合法文本的键',
  'validation.ifMatch': () => '必须是合同的 ETag,例如 "7"',
  'validation.fileMissing': () => '请以 multipart 字段 "file" 发送文件',
  'validation.tooManyValues': (p: { max: number }) => `包含的值超过 ${p.max} 个`,
  'upload.contentEncoding': () =>
    '上传文件请勿使用 Content-Encoding（直接发送 multipart/form-data）',
  'upload.empty': () => '文件为空',
  'upload.badName': () => '文件名须为 UTF-8 文本，不得含 NUL 或其他控制字符',
  'upload.photoType': () => '走访照片须为 JPEG 或 PNG',
  'auth.passwordChangeRequired': () => '您的密码是临时密码，请先修改密码（POST /auth/password）',
  'password.tooShort': (p: { min: number }) => `密码至少 ${p.min} 个字符`,
  'password.tooLong': (p: { max: number }) => `密码最多 ${p.max} 个字符`,
  'password.sameAsUsername': () => '密码不能与用户名相同',
  'password.common': () => '这个密码太常见，请换一个',
  'password.notString': () => '密码须为文本',
  'auth.currentPasswordWrong': () => '当前密码不正确',
  'auth.sessionEnded': () => '会话已结束（密码已修改或重置），请重新登录',
  'auth.roleMayNot': (p: { role: string }) => `角色“${role(p.role)}”不能进行此操作`,
  'desk.csrfRejected': () => '表单令牌缺失或不匹配，请刷新页面后重新提交',
  'desk.chooseRegisterFile': () => '请选择清册文件',
  'desk.chooseFile': () => '请选择文件',
  'desk.userCreated': (p: { username: string }) => `已创建用户 ${p.username}`,
  'desk.userDeactivated': (p: { username: string }) => `已停用用户 ${p.username}，其登录已全部失效`,
  'desk.userReactivated': (p: { username: string }) => `已启用用户 ${p.username}`,
  'desk.cannotDeactivateSelf': () => '不能停用自己的账户',
  'desk.usernameTaken': (p: { username: string }) => `用户名 ${p.username} 已被使用`,
  'validation.upload': (p: { text: string }) => `上传有误：${p.text}`,

  // --- Login and access -------------------------------------------------------------------
  'auth.bearerMissing': () =>
    '请发送 "Authorization: Bearer <accessToken>";登录接口为 POST /auth/login',
  'auth.tokenExpired': () => '访问令牌已过期，请重新登录',
  'auth.tokenInvalid': () => '访问令牌无效',
  'auth.userGone': () => '该令牌的用户已不存在或已停用',
  'auth.cooperativeOwnWork': () => '服务组织不能核实、验收、审核或拨付自己的作业',
  'auth.roleNotAllowed': (p: { role: string; allowed: string }) =>
    `角色“${role(p.role)}”无权进行此操作；允许的角色：${roles(p.allowed)}`,
  'auth.wrongPassword': () => '用户名或密码错误',

  // --- The contract machine's refusals (machine/refusals.ts, machine/queries.ts) ------------
  'refusal.villagePartState': (p: { taskCode: string; villageCode: string; state?: string }) =>
    p.state === undefined
      ? `村作业 ${p.taskCode}/${p.villageCode} 不属于本合同`
      : `村作业 ${p.taskCode}/${p.villageCode} 的状态是“${state(p.state)}”`,
  'refusal.verifiedAboveClaimed': (p: { villageCode: string; verified: string; claimed: string }) =>
    `${p.villageCode}：核实面积 ${p.verified} 亩超过申报面积 ${p.claimed} 亩`,
  'refusal.noTaskLine': (p: { taskCode: string }) => `没有作业环节 ${p.taskCode}`,
  'refusal.nameEveryVillagePart': (p: { taskCode: string; parts: string }) =>
    `须把 ${p.taskCode} 的每个村各列一次（${p.parts}）`,
  'refusal.acceptedAboveVerified': (p: {
    villageCode: string;
    accepted: string;
    verified: string;
  }) => `${p.villageCode}：验收面积 ${p.accepted} 亩超过核实面积 ${p.verified} 亩`,
  'refusal.taskLineState': (p: { taskCode: string; state?: string }) =>
    p.state === undefined
      ? `作业环节 ${p.taskCode} 不属于本合同`
      : `作业环节 ${p.taskCode} 的状态是“${state(p.state)}”`,
  'refusal.quorum': (p: { quorum: number; roles: string; passCount: number; covered: string }) =>
    `镇级验收需要至少 ${p.quorum} 名不同的签字人验收通过，覆盖 ${acceptanceRoles(p.roles)}；现有 ${p.passCount} 名，覆盖 ${orNone(acceptanceRoles(p.covered))}`,
  'refusal.sameApprover': () => '审核的两次批准须由两个不同的人作出',
  'refusal.bureauApproved': (p: { bureau: string }) => `${p.bureau} 一方已批准过本次审核`,
  'refusal.secondApprovalChanges': () => '第二次批准只确认审核面积，不能修改',
  'refusal.noAcceptedTaskLine': (p: { taskCode: string }) => `没有已验收的作业环节 ${p.taskCode}`,
  'refusal.auditedAboveAccepted': (p: { taskCode: string; audited: string; accepted: string }) =>
    `作业环节 ${p.taskCode}：审核面积 ${p.audited} 亩超过验收面积 ${p.accepted} 亩`,
  'refusal.payoutByApprover': () => '审核财政一方的批准人不能签发该笔拨付',
  'refusal.payoutExists': (p: { payoutId: string }) =>
    `该合同已有拨付 ${p.payoutId}（已签发或已确认），不能再拨付`,
  'refusal.providerNotEligible': (p: { reason?: string }) =>
    `该服务组织今天不符合条件${p.reason ? `:${p.reason}` : ''}`,
  'refusal.payoutAmount': (p: { subsidyFen?: number }) =>
    `拨付金额须等于最终补助(${p.subsidyFen === undefined ? '无' : `${p.subsidyFen} 分`}),且大于零`,
  'refusal.noticeClosed': () => '该公示已不再受理异议',
  'refusal.registerClosed': (p: { state: string }) =>
    `合同处于“${STATE.contracted}”或“${STATE.inService}”状态时清册才接受行；现在是“${state(p.state)}”`,
  'refusal.acceptanceNotOpen': (p: { taskCode: string; state: string }) =>
    `作业环节 ${p.taskCode} 的状态是“${state(p.state)}”；村级公示结束后才进行验收`,
  'refusal.sampleNotDrawn': () =>
    '本合同的补助政策要求抽样核查：请先抽取样本并走访全部样本行，再批准审核',
  'refusal.sampleNotVisited': (p: { open: number }) =>
    `还有 ${p.open} 个样本行未走访；请走访全部样本行后再批准审核`,
  'refusal.sampleShortfall': (p: { taskCode: string; audited: string; max: string }) =>
    `作业环节 ${p.taskCode}：审核面积 ${p.audited} 亩超过抽样走访支持的最高面积 ${p.max} 亩`,
  'refusal.sampleExists': () => '本合同已抽取过审核样本；每个合同只抽样一次',
  'refusal.notInSample': (p: { rowId: string }) => `清册行 ${p.rowId} 不在本次审核样本中`,
  'refusal.alreadyVisited': (p: { rowId: string }) => `清册行 ${p.rowId} 已经走访过`,
  'refusal.observedAboveVerified': (p: { rowId: string; observed: string; verified: string }) =>
    `清册行 ${p.rowId}：实地面积 ${p.observed} 亩超过核实面积 ${p.verified} 亩`,
  'refusal.visitBeforeSigning': (p: { signedOn: string }) =>
    `走访日期不能早于合同签订日期（${p.signedOn}）`,
  'contract.versionConflict': (p: { id: string; version: number; expected: number }) =>
    `合同 ${p.id} 的版本是 ${p.version}，不是 ${p.expected}；请重新读取后再试`,
  'transition.notAllowedWhile': (p: { event: string; state: string }) =>
    `合同状态为“${state(p.state)}”时不能进行“${event(p.event)}”`,
  'transition.notAllowed': (p: {
    event: string;
    contractState: string;
    taskCode?: string;
    taskLineState?: string;
    villageCode?: string;
    villagePartState?: string;
  }) => {
    const parts = [`合同状态为“${state(p.contractState)}”`];
    if (p.taskCode !== undefined)
      parts.push(
        p.taskLineState === undefined
          ? `没有作业环节 ${p.taskCode}`
          : `作业环节 ${p.taskCode} 为“${state(p.taskLineState)}”`,
      );
    if (p.villageCode !== undefined)
      parts.push(
        p.villagePartState === undefined
          ? `村 ${p.villageCode} 不在其中`
          : `村 ${p.villageCode} 为“${state(p.villagePartState)}”`,
      );
    return `现在不能进行“${event(p.event)}”：${parts.join('，')}`;
  },

  // --- Uploaded tables (the register, the bank's result file): whole-file refusals ----------
  'file.uploadTooLarge': (p: { max: number }) => `文件超过 ${p.max} 字节`,
  'file.tooLarge': (p: { size: number; max: number }) =>
    `文件有 ${p.size} 字节，最多接受 ${p.max} 字节。`,
  'file.empty': () => '文件是空的。',
  'file.noFilledRow': () => '文件中没有填写任何行。',
  'file.blankOnly': () => '文件只有空白。',
  'file.noDataRows': () => '文件只有表头，没有数据行。',
  'file.tooManyRows': (p: { max: number }) => `文件的数据行超过 ${p.max} 行，请拆分成较小的文件。`,
  'file.columnTwice': (p: { column: string; first: string; second: string }) =>
    `表头两次列出 ${p.column} 列（"${p.first}" 和 "${p.second}"）。`,
  'file.notAHeader': (p: { expected: string }) =>
    `第一个填写的行不是表头；应有 ${p.expected} 这样的列名。`,
  'file.missingColumns': (p: { columns: string }) => `表头缺少以下列：${p.columns}。`,
  'file.replacementCharacter': (p: { row: number }) =>
    `第 ${p.row} 行含有 U+FFFD(�),是之前错误转换字符集留下的；请从原始文件重新导出。`,
  'file.replacementCharacterInText': () =>
    '文件含有 U+FFFD(�),是之前错误转换字符集留下的；请从原始文件重新导出。',
  'file.utf16': () => '文件是 UTF-16 文本；请另存为 "CSV UTF-8" 或 Excel 工作簿（.xlsx）。',
  'file.utf32': () => '文件是 UTF-32 文本；请另存为 "CSV UTF-8" 或 Excel 工作簿（.xlsx）。',
  'file.xls': () =>
    '文件是旧版 Excel 97-2003 工作簿（.xls），无法读取；请在 Excel 或 WPS 中另存为 .xlsx 或 CSV (UTF-8)。',
  'file.ods': () =>
    '文件是 OpenDocument 电子表格（.ods），无法读取；请在 LibreOffice、WPS 或 Excel 中另存为 .xlsx 或 CSV (UTF-8)。',
  'file.notATable': () =>
    '文件既不是 CSV 文本，也不是 XLSX 工作簿；请另存为 .xlsx 或 CSV (UTF-8)。',
  'file.controlCharacter': (p: { code: string }) =>
    `文件含有控制字符 U+${p.code}，是二进制数据，不是 CSV 文本；请另存为 .xlsx 或 CSV (UTF-8)。`,
  'file.notUtf8OrGb18030': () =>
    '文件既不是 UTF-8 也不是 GB18030 编码的文本；请另存为 "CSV UTF-8" 或 Excel 工作簿（.xlsx）。',
  'file.badCsv': (p: { why: string }) => `文件不是格式正确的 CSV 表格：${p.why}。`,
  'file.badWorkbook': (p: { why: string }) => `文件不是可读取的 XLSX 工作簿：${p.why}。`,
  'file.workbookUnreadable': (p: { why: string }) => `工作簿无法读取：${p.why}。`,
  'file.workbookTruncated': (p: { part: string }) =>
    `工作簿不完整或已损坏（${p.part} 未完整结束）；请重新保存或重新上传文件。`,
  'file.workbookTooLarge': (p: { max: number }) => `工作簿解压后超过 ${p.max} 字节。`,

  // --- Rows of an uploaded table (rejected[].message): `column` is the file's own header ----
  'row.inRow': (p: { row: number; message: string }) => `第 ${p.row} 行：${p.message}`,
  'row.frozenCorrection': (p: { row: number; state: string }) =>
    `第 ${p.row} 行的状态是“${state(p.state)}”；只有尚未申报的行可以更正`,
  'row.frozenWithdrawal': (p: { row: number; state: string }) =>
    `第 ${p.row} 行的状态是“${state(p.state)}”；只有尚未申报的行可以撤回`,
  'row.fieldEmpty': (p: { column: string }) => `${p.column} 为空`,
  'row.invisibleCharacter': (p: { column: string; character: string }) =>
    `${p.column} 含有看不见的字符或控制字符（${p.character}），请重新输入该编号`,
  'row.fieldTooLong': (p: { column: string; max: number }) => `${p.column} 超过 ${p.max} 个字符`,
  'row.idNumber': (p: { column: string; problem: keyof typeof ID_PROBLEM }) =>
    `${p.column}${ID_PROBLEM[p.problem]}`,
  'row.numberInIdentifierColumn': (p: { column: string; text: string }) =>
    `${p.column} 是以数字保存的（${p.text}），数字会丢失位数，无法得知原来的号码；请把 ${p.column} 列设置为文本格式后重新填写并上传`,
  'row.unknownVillage': (p: { value: string }) => `村 ${p.value} 不在本合同的标段内`,
  'row.unknownTask': (p: { value: string }) => `作业环节 ${p.value} 不在本合同内`,
  'row.taskLineClosed': (p: { taskCode: string }) =>
    `作业环节 ${p.taskCode} 已申报，其清册行已冻结`,
  'row.areaInvalid': (p: { column: string; value: string }) =>
    `${p.column} "${p.value}" 必须是大于 0 的数，最多两位小数，不超过 10000000.00`,
  'row.dateInvalid': (p: { column: string; value: string }) => `${p.column} "${p.value}" 不是日期`,
  'row.dateOutsideWindow': (p: { column: string; date: string; start: string; end: string }) =>
    `${p.column} ${p.date} 不在服务期 ${p.start} 至 ${p.end} 内`,
  'row.dateAfterDeadline': (p: { column: string; date: string; deadline: string }) =>
    `${p.column} ${p.date} 晚于合同的作业截止日期 ${p.deadline}`,
  'row.notSigned': (p: { columns: string }) => `未签字：${p.columns}`,
  'row.duplicatePlotTask': (p: { plotCode: string; taskCode: string }) =>
    `地块 ${p.plotCode}（或看起来相同的编号）的 ${p.taskCode} 已在本项目登记过`,
  'row.overAssignedArea': (p: { taskCode: string; total: string; limit: string }) =>
    `${p.taskCode} 的登记面积将达到 ${p.total} 亩；合同分配 ${p.limit} 亩`,

  // --- Rows of the bank's result file ------------------------------------------------------
  'bank.noPayoutNo': (p: { column: string }) => `该行没有${p.column}`,
  'bank.duplicateRow': (p: { payoutNo: string; times: number }) =>
    `拨付单 ${p.payoutNo} 在文件中出现 ${p.times} 次`,
  'bank.unknownPayout': (p: { payoutNo: string; batchNo: string }) =>
    `拨付单 ${p.payoutNo} 不在批次 ${p.batchNo} 中`,
  'bank.badStatus': (p: { column: string; value: string }) =>
    `${p.column} 必须是 成功/success 或 失败/failed,而不是 "${p.value}"`,
  'bank.referenceMissing': (p: { column: string }) => `成功的行需要${p.column}(不超过 100 个字符)`,
  'bank.reasonMissing': (p: { column: string }) => `失败的行需要${p.column}(不超过 2000 个字符)`,
  'bank.badAmount': (p: { column: string; value: string }) =>
    `${p.column} "${p.value}" 不是以元为单位的金额`,
  'bank.accountMismatch': (p: { payoutNo: string }) => `账号不是拨付单 ${p.payoutNo} 收款人的账号`,
  'bank.amountMismatch': (p: { payoutNo: string; expected: string; actual: string }) =>
    `拨付单 ${p.payoutNo} 的金额是 ${p.expected} 元，该行写的是 ${p.actual} 元`,
  'bank.alreadyRecorded': (p: { payoutNo: string; state: string }) =>
    `拨付单 ${p.payoutNo} 已是“${label(PAYOUT_STATE)(p.state)}”，结果与此不同`,
  // --- Town acceptance records ---------------------------------------------------------------
  'acceptance.reviseInstead': (p: { revision: number; state: string }) =>
    `第 ${p.revision} 版验收记录的状态是“${label(ACCEPTANCE_STATE)(p.state)}”；请修订这份记录，不要另开新记录`,
  'acceptance.recordClosed': (p: { revision: number; state: string }) =>
    `第 ${p.revision} 版验收记录的状态是“${label(ACCEPTANCE_STATE)(p.state)}”，不能再修订`,
  'acceptance.alreadySigned': (p: { username: string; revision: number }) =>
    `${p.username} 已在第 ${p.revision} 版验收记录上签过字`,
  'acceptance.noMoreSignatures': (p: { revision: number; state: string }) =>
    `第 ${p.revision} 版验收记录的状态是“${label(ACCEPTANCE_STATE)(p.state)}”，不再接受签字`,
  'acceptance.villageNotInLine': (p: { villageCode: string; taskCode: string }) =>
    `村 ${p.villageCode} 不在作业环节 ${p.taskCode} 中`,
  'acceptance.villageNotInLineField': () => '不是本作业环节的村',
  'acceptance.acceptedAboveVerified': (p: {
    villageCode: string;
    accepted: string;
    verified: string;
  }) => `村 ${p.villageCode}：验收面积 ${p.accepted} 亩超过核实面积 ${p.verified} 亩`,
  'acceptance.nameEachVillage': (p: { count: number; taskCode: string }) =>
    `须把作业环节 ${p.taskCode} 的 ${p.count} 个村各填写一次`,
  'acceptance.expectedVillages': (p: { villages: string }) => `应为：${p.villages}`,
  'area.atMost': (p: { max: string }) => `不能超过 ${p.max}`,
  'validation.notBefore': (p: { other: string }) => `不能早于 ${p.other}`,
  'validation.taken': () => '已被使用',

  // --- District audit, notices, objections, verification ------------------------------------
  'contract.signedBeforeOpening': (p: { openingOn: string }) => `不能早于开标日（${p.openingOn}）`,
  'contract.signedBeforeAward': (p: { awardedOn: string }) => `不能早于定标日（${p.awardedOn}）`,
  'contract.signedAfterDeadline': (p: { workDeadline: string }) =>
    `不能晚于作业截止日期（${p.workDeadline}）`,
  'audit.publishedBeforeSigning': (p: { signedOn: string }) =>
    `不能早于合同签订日期（${p.signedOn}）`,
  'notice.closed': (p: { status: string; closedAt?: string }) =>
    `这份公示${label(NOTICE_CLOSED)(p.status)}（${p.closedAt ?? '公示期结束时'}），不再受理异议`,
  'notice.rowNotOnNotice': (p: { rowId: string }) => `清册行 ${p.rowId} 不在这份公示上`,
  'notice.rowNotOnNoticeField': () => '不是这份公示上的清册行',
  'objection.listRoles': () => '异议只向村核实小组和区级人员列出',
  'objection.alreadyResolved': (p: { objectionId: string; state: string; resolvedAt?: string }) =>
    `异议 ${p.objectionId} 已于 ${p.resolvedAt ?? '此前'} 处理（${label(OBJECTION_STATE)(p.state)}）`,
  'objection.villageResolves': () => '村级公示的异议由该村的核实小组处理',
  'objection.districtResolves': () => '媒体公示的异议由区农业农村委处理',
  'verification.rowNotClaimed': (p: { rowId: string; taskCode: string; villageCode: string }) =>
    `清册行 ${p.rowId} 不是村 ${p.villageCode} 作业环节 ${p.taskCode} 已申报的行`,
  'verification.rowNotClaimedField': () => '不是本村该作业环节已申报的行',
  'verification.verifiedAboveClaimed': (p: {
    rowNo: number;
    plotCode: string;
    verified: string;
    claimed: string;
  }) =>
    `第 ${p.rowNo} 行（地块 ${p.plotCode}）：核实面积 ${p.verified} 亩超过申报面积 ${p.claimed} 亩`,

  // --- The public board's objection form (a villager reads these) ---------------------------
  'board.csrfRejected': () => '表单已过期或不完整，请刷新页面后重新提交',
  'board.rowNotOnNotice': () => '所选地块不在这份公示里，请重新选择。',
  'board.fieldError': (p: { label: string; error: string }) => `${p.label}：${p.error}`,
  'board.nameMissing': () => '请填写您的姓名。',
  'board.nameTooLong': (p: { max: number }) => `姓名最多 ${p.max} 个字。`,
  'board.phoneMissing': () => '请填写联系电话。',
  'board.phoneInvalid': () =>
    '请填写 11 位手机号（如 13812345678）或带区号的固定电话（如 0558-5123456）。',
  'board.textMissing': () => '请写明异议内容。',
  'board.textTooLong': (p: { max: number }) => `异议内容最多 ${p.max} 字，请精简后再提交。`,
  'board.rowInvalid': () => '请从列表中选择地块，或选“不指定”。',

  // --- Documents ----------------------------------------------------------------------------
  'document.unknownKind': (p: { kind: string }) => `没有 ${p.kind} 这种文书`,
  'document.noAcceptanceRecord': () => '该作业环节还没有验收记录',
  'document.applicationNoClaim': () => '申报表列出已申报的作业环节；目前还没有申报任何作业环节',
  'document.auditSheetNotYet': (p: { state: string }) =>
    `审核单在区农业农村委和区财政局都批准后才出具；合同现在的状态是“${state(p.state)}”`,
  'document.mediaNoticeNotYet': () => '区里发布媒体公示后才有媒体公示文本',
  'document.payoutOrderNotYet': (p: { state: string }) =>
    `发放补助后才有拨付单；合同现在的状态是“${state(p.state)}”`,
  'document.villageNoticeNotYet': () => '该作业环节在这个村还没有村级公示：须先由村里核实',

  // --- Field work, the test clock -------------------------------------------------------------
  'claim.incomplete': (p: { taskCode: string; missing: readonly string[] }) =>
    `作业环节 ${p.taskCode} 申报前还需要：${p.missing.map(label(CLAIM_NEEDS)).join('、')}`,
  'clock.advanceMissing': () => '请给出 advanceDays 或 advanceHours',

  // --- Organisations and their directory ------------------------------------------------------
  'organisation.creditCodeTaken': (p: { code: string }) =>
    `统一社会信用代码为 ${p.code} 的服务组织已存在`,
  'organisation.notEligible': (p: { name: string; on: string; reason: string }) =>
    `${p.name} 在 ${p.on} 不符合条件：${p.reason}`,
  'organisation.creditCodeShape': () =>
    'creditCode(统一社会信用代码)须为 18 位：数字和大写字母(不含 I、O、S、V、Z),第 3 至 8 位为数字',
  'organisation.creditCodeCheck': (p: { code: string }) =>
    `统一社会信用代码 ${p.code} 的校验位(第 18 位)不对，请核对`,
  'eligibility.blacklisted': (p: { from: string; until: string; reason: string }) =>
    `${p.from} 至 ${p.until} 在黑名单中(${p.reason})`,
  'eligibility.notListed': (p: { on: string }) =>
    `${p.on} 未列入服务组织名录库，而补助政策要求列入`,

  // --- Payouts and payment batches ------------------------------------------------------------
  'payout.idempotencyKeyMissing': () =>
    '请发送 Idempotency-Key 请求头：用同一个键重试会得到同样的答复',
  'payout.idempotencyKeyShape': () => '最多 200 个可见 ASCII 字符',
  'payout.idempotencyKeyReused': () => '这个 Idempotency-Key 已用于另一个请求',
  'payout.exists': (p: { contractId: string }) => `合同 ${p.contractId} 已有已发放或已到账的拨付单`,
  'payout.alreadyState': (p: { payoutId: string; state: string }) =>
    `拨付单 ${p.payoutId} 已经是“${label(PAYOUT_STATE)(p.state)}”`,
  'batch.payoutMeanwhile': () => '有一笔拨付单在此期间被编入了另一个批次；请重新选择后再试',
  'batch.nothingWaiting': () => '本县(区)没有等待编入批次的已发放拨付单',
  'batch.needsPayout': () => '一个拨付批次至少要有一笔拨付单',
  'batch.financeOnly': () => '拨付批次归区财政局管理',
  'batch.payoutInBatch': (p: { payoutId: string; batchNo: string }) =>
    `拨付单 ${p.payoutId} 已在批次 ${p.batchNo} 中`,
  'batch.payoutNotIssued': (p: { payoutId: string; state: string }) =>
    `拨付单 ${p.payoutId} 的状态是“${label(PAYOUT_STATE)(p.state)}”，不是“${PAYOUT_STATE.issued}”`,

  // --- Policies, projects, regions ------------------------------------------------------------
  'policy.notADistrict': () => '不是县(区)',
  'policy.codeTaken': (p: { code: string }) => `编号为 ${p.code} 的补助政策已存在`,
  'policy.overlap': (p: { code: string; districtCode: string; from: string; to?: string }) =>
    `县(区) ${p.districtCode} 的补助政策 ${p.code} 自 ${p.from} 起${p.to === undefined ? '长期有效' : `至 ${p.to} 有效`}；同一县(区)同一天只能有一项补助政策有效`,
  'project.serviceWindow': () => 'serviceEnd(服务期结束)不能早于 serviceStart(服务期开始)',
  'project.duplicateTask': (p: { taskCode: string }) => `作业环节代码 ${p.taskCode} 出现了两次`,
  'project.unknownVillages': (p: { districtCode: string; villages: string }) =>
    `以下不是县(区) ${p.districtCode} 的村：${p.villages}`,
  'project.codeTaken': (p: { code: string; districtCode: string }) =>
    `县(区) ${p.districtCode} 已有项目 ${p.code}`,
  'region.codeTaken': (p: { code: string }) => `行政区划代码 ${p.code} 已被使用`,
  'region.districtHasNoParent': () => '县(区)没有上级行政区划，请不要给出 parentCode',
  'region.parentMissing': (p: { level: string; parentLevel: string }) =>
    `${level(p.level)}须给出 parentCode：其所属${level(p.parentLevel)}的代码`,
  'region.parentNotFound': (p: { code: string }) => `上级行政区划 ${p.code} 不存在`,
  'region.parentWrongLevel': (p: {
    level: string;
    parentLevel: string;
    parentCode: string;
    actualLevel: string;
  }) =>
    `${level(p.level)}的上级须是${level(p.parentLevel)}；${p.parentCode} 是${level(p.actualLevel)}`,

  // --- Tenders, bids, awards ------------------------------------------------------------------
  'tender.awardBeforeOpening': () => '开标后才能定标',
  'tender.unknownLot': (p: { tenderId: string; lotCode: string }) =>
    `招标 ${p.tenderId} 没有标段 ${p.lotCode}`,
  'tender.lotAwarded': (p: { lotCode: string; awardedOn: string; contractId: string }) =>
    `标段 ${p.lotCode} 已于 ${p.awardedOn} 定标（合同 ${p.contractId}）`,
  'tender.bidNotInLot': (p: { bidId: string; lotCode: string }) =>
    `投标 ${p.bidId} 不是本招标标段 ${p.lotCode} 的投标`,
  'tender.deadlineOutsideWindow': (p: { start: string; end: string }) =>
    `workDeadline(作业截止日期)须在服务期 ${p.start} 至 ${p.end} 内`,
  'tender.awardDateInvalid': (p: { openingOn: string; workDeadline: string }) =>
    `awardedOn(定标日期)须在开标日 ${p.openingOn} 与作业截止日期 ${p.workDeadline} 之间`,
  'tender.notInvited': () => '贵单位未受邀参加本次招标',
  'tender.bidAfterOpening': (p: { tenderId: string; openedAt?: string }) =>
    `招标 ${p.tenderId} 已于 ${p.openedAt ?? '此前'} 开标，不再接受投标`,
  'tender.taskPricedTwice': (p: { taskCode: string }) => `作业环节 ${p.taskCode} 报了两次价`,
  'tender.taskNotInLot': (p: { taskCode: string; lotCode: string }) =>
    `作业环节 ${p.taskCode} 不属于标段 ${p.lotCode}`,
  'tender.pricesIncomplete': (p: { lotCode: string; tasks: string }) =>
    `标段 ${p.lotCode} 还需要以下作业环节的报价：${p.tasks}`,
  'tender.bidsSealed': (p: { count: number; openingOn: string }) =>
    `已收到 ${p.count} 份投标；开标日 ${p.openingOn} 之前一律密封`,
  'tender.scoreBeforeOpening': () => '开标后专家才能评分',
  'tender.unknownBid': (p: { tenderId: string; bidId: string }) =>
    `招标 ${p.tenderId} 没有投标 ${p.bidId}`,
  'tender.scoreExists': (p: { expert: string; bidId: string }) =>
    `${p.expert} 已为投标 ${p.bidId} 评过分`,
  'tender.openingBeforePublished': () => 'openingOn(开标日)不能早于 publishedOn(发布日)',
  'tender.invitedNeedsOrganisations': () => '邀请招标须给出 invitedOrganisationIds(受邀单位)',
  'tender.openInvitesNobody': () => '公开招标不邀请特定单位，请不要给出 invitedOrganisationIds',
  'tender.duplicateLot': (p: { lotCode: string }) => `标段代码 ${p.lotCode} 出现了两次`,
  'tender.lotVillagesOutside': (p: { lotCode: string; villages: string }) =>
    `标段 ${p.lotCode}：以下村不在项目内：${p.villages}`,
  'tender.lotAreaExceedsPlan': (p: { taskCode: string; area: string; planned: string }) =>
    `各标段给作业环节 ${p.taskCode} 的面积合计 ${p.area} 亩，超过项目计划的 ${p.planned} 亩`,
  'tender.lotTaskNotInProject': (p: { lotCode: string; taskCode: string }) =>
    `标段 ${p.lotCode}：作业环节 ${p.taskCode} 不是本项目的作业环节`,
  'tender.lotTaskTwice': (p: { lotCode: string; taskCode: string }) =>
    `标段 ${p.lotCode}：作业环节 ${p.taskCode} 出现了两次`,
  'tender.invitedUnknown': () => '部分受邀单位不存在',
  'tender.alreadyOpened': (p: { tenderId: string; openedAt?: string }) =>
    `招标 ${p.tenderId} 已于 ${p.openedAt ?? '此前'} 开标`,
  'tender.notDue': (p: { tenderId: string; openingOn: string; today: string }) =>
    `招标 ${p.tenderId} 的开标日是 ${p.openingOn}；今天是 ${p.today}，还不能开标`,

  // --- Users --------------------------------------------------------------------------------
  'user.usernameTaken': (p: { username: string }) => `用户名 ${p.username} 已被使用`,
  'user.cannotDeactivateSelf': () => '管理员不能停用自己的账号；请另一位管理员操作',
  'user.cooperativeNeedsOrganisation': () => '服务组织用户须给出 organisationId(所属服务组织)',
  'user.organisationNotFound': (p: { id: string }) => `服务组织 ${p.id} 不存在`,
  'user.roleNoOrganisation': (p: { role: string }) =>
    `角色“${role(p.role)}”不属于服务组织，请不要给出 organisationId`,
  'user.roleNoRegion': (p: { role: string }) =>
    `角色“${role(p.role)}”不绑定行政区划，请不要给出 regionCode`,
  'user.roleNeedsRegion': (p: { role: string; level: string }) =>
    `角色“${role(p.role)}”须给出 regionCode：其所属${level(p.level)}的代码`,
  'user.regionNotFound': (p: { code: string }) => `行政区划 ${p.code} 不存在`,
  'user.regionWrongLevel': (p: {
    role: string;
    level: string;
    regionCode: string;
    actualLevel: string;
  }) => `角色“${role(p.role)}”须绑定到${level(p.level)}；${p.regionCode} 是${level(p.actualLevel)}`,
  'user.acceptorNeedsRole': () => '镇验收小组成员须给出 acceptanceRole(验收角色)',
  'user.onlyAcceptorHasRole': () => '只有镇验收小组成员才有 acceptanceRole',
};
