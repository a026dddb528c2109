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
  'auth.roleMayNot': (p: { role: string }) => `角色 ${p.role} 不能进行此操作`,
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
    `角色 ${p.role} 无权进行此操作；允许的角色：${p.allowed}`,
  'auth.wrongPassword': () => '用户名或密码错误',

  // --- The contract machine's refusals (machine/refusals.ts, machine/queries.ts) ------------
  'refusal.villagePartState': (p: { taskCode: string; villageCode: string; state?: string }) =>
    p.state === undefined
      ? `村作业 ${p.taskCode}/${p.villageCode} 不属于本合同`
      : `村作业 ${p.taskCode}/${p.villageCode} 的状态是 ${p.state}`,
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
      : `作业环节 ${p.taskCode} 的状态是 ${p.state}`,
  'refusal.quorum': (p: { quorum: number; roles: string; passCount: number; covered: string }) =>
    `镇级验收需要至少 ${p.quorum} 名不同的签字人验收通过，覆盖 ${p.roles}；现有 ${p.passCount} 名，覆盖 ${orNone(p.covered)}`,
  'refusal.sameApprover': () => '审核的两次批准须由两个不同的人作出',
  'refusal.bureauApproved': (p: { bureau: string }) => `${p.bureau} 一方已批准过本次审核`,
  'refusal.secondApprovalChanges': () => '第二次批准只确认审核面积，不能修改',
  'refusal.noAcceptedTaskLine': (p: { taskCode: string }) => `没有已验收的作业环节 ${p.taskCode}`,
  'refusal.auditedAboveAccepted': (p: { taskCode: string; audited: string; accepted: string }) =>
    `作业环节 ${p.taskCode}：审核面积 ${p.audited} 亩超过验收面积 ${p.accepted} 亩`,
  'refusal.payoutByApprover': () => '审核财政一方的批准人不能签发该笔拨付',
  'refusal.providerNotEligible': (p: { reason?: string }) =>
    `该服务组织今天不符合条件${p.reason ? `:${p.reason}` : ''}`,
  'refusal.payoutAmount': (p: { subsidyFen?: number }) =>
    `拨付金额须等于最终补助(${p.subsidyFen === undefined ? '无' : `${p.subsidyFen} 分`}),且大于零`,
  'refusal.noticeClosed': () => '该公示已不再受理异议',
  'refusal.registerClosed': (p: { state: string }) =>
    `合同处于 contracted 或 inService 状态时清册才接受行；现在是 ${p.state}`,
  'refusal.acceptanceNotOpen': (p: { taskCode: string; state: string }) =>
    `作业环节 ${p.taskCode} 的状态是 ${p.state}；村级公示结束后才进行验收`,
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
    `合同状态为 ${p.state} 时不能进行 ${p.event}`,
  'transition.notAllowed': (p: {
    event: string;
    contractState: string;
    taskCode?: string;
    taskLineState?: string;
    villageCode?: string;
    villagePartState?: string;
  }) => {
    const parts = [`合同状态为 ${p.contractState}`];
    if (p.taskCode !== undefined)
      parts.push(
        p.taskLineState === undefined
          ? `没有作业环节 ${p.taskCode}`
          : `作业环节 ${p.taskCode} 为 ${p.taskLineState}`,
      );
    if (p.villageCode !== undefined)
      parts.push(
        p.villagePartState === undefined
          ? `村 ${p.villageCode} 不在其中`
          : `村 ${p.villageCode} 为 ${p.villagePartState}`,
      );
    return `现在不能进行 ${p.event}：${parts.join('，')}`;
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
    `第 ${p.row} 行的状态是 ${p.state}；只有尚未申报的行可以更正`,
  'row.frozenWithdrawal': (p: { row: number; state: string }) =>
    `第 ${p.row} 行的状态是 ${p.state}；只有尚未申报的行可以撤回`,
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
    `拨付单 ${p.payoutNo} 已是 ${p.state}，结果与此不同`,
};
