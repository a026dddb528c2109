import type { Catalogue } from './catalogue';

/**
 * The English catalogue, for requests whose `Accept-Language` prefers `en`. Its type makes it
 * complete: every key of messages.zh.ts, with the same parameters.
 */

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const ID_PROBLEM = {
  shape: 'is not 18 characters (17 digits and a check digit or X)',
  check: 'has a wrong check digit',
  birthDate: 'has no real birth date',
} as const;

const CLOSED_AS: Record<string, string> = {
  running: 'closed',
  cleared: 'cleared',
  superseded: 'was withdrawn',
  terminated: 'was closed when its contract was terminated',
};

const orNone = (list: string) => (list === '' ? 'none' : list);

export const en: Catalogue = {
  'http.title': (p) => TITLES[p.status] ?? 'Error',
  'http.noRoute': () => 'No such route',
  'http.bodyTooLarge': () => 'The request body is larger than allowed',
  'http.bodyNotJson': () => 'The request body is not valid JSON',
  'http.bodyCharset': () =>
    'The body must be JSON in UTF-8 (Content-Type: application/json; charset=utf-8)',
  'http.bodyEncoding': () => 'Content-Encoding must be gzip, deflate, br or identity',
  'http.bodyUnreadable': () => 'The request body cannot be read (is it encoded as said?)',
  'http.tooManyRequests': () => 'Too many requests; try again later',
  'http.tooManyRequestsRetry': (p) => `Too many requests; try again in ${p.seconds} s`,
  'http.methodNotAllowed': () => 'This route does not take this method',
  'http.unsupportedMediaType': (p) => `Unsupported media type: ${p.text}`,
  'http.other': (p) => p.text,
  'http.internal': () => 'An unexpected error occurred; it has been logged',
  notFound: (p) => `${p.what} ${p.id} was not found`,
  notFoundWithThisId: (p) => `${p.what} with this id was not found`,

  'validation.summary.one': (p) => `${p.field}: ${p.message}`,
  'validation.summary.many': (p) => `${p.count} fields are invalid`,
  'validation.isString': (p) => `${p.field} must be a string`,
  'validation.isDefined': (p) => `${p.field} must be given`,
  'validation.isNotEmpty': (p) => `${p.field} must not be empty`,
  'validation.isLength': (p) =>
    p.max === undefined
      ? `${p.field} must be at least ${p.min} characters long`
      : `${p.field} must be ${p.min} to ${p.max} characters long`,
  'validation.minLength': (p) => `${p.field} must be at least ${p.min} characters long`,
  'validation.maxLength': (p) => `${p.field} must be at most ${p.max} characters long`,
  'validation.isIn': (p) => `${p.field} must be one of the following values: ${p.values}`,
  'validation.matches': (p) => `${p.field} has the wrong format`,
  'validation.isArray': (p) => `${p.field} must be an array`,
  'validation.arrayMinSize': (p) => `${p.field} must have at least ${p.min} elements`,
  'validation.arrayMaxSize': (p) => `${p.field} must have at most ${p.max} elements`,
  'validation.arrayUnique': (p) => `${p.field} must not repeat an element`,
  'validation.isUuid': (p) => `${p.field} must be a UUID`,
  'validation.min': (p) => `${p.field} must not be less than ${p.min}`,
  'validation.max': (p) => `${p.field} must not be greater than ${p.max}`,
  'validation.isInt': (p) => `${p.field} must be an integer`,
  'validation.isNumber': (p) => `${p.field} must be a number`,
  'validation.isBoolean': (p) => `${p.field} must be true or false`,
  'validation.nestedValidation': (p) => `${p.field} must be an object or an array of objects`,
  'validation.whitelistValidation': (p) => `property ${p.field} should not exist`,
  'validation.unknownValue': () => 'the body must be a JSON object',
  'validation.isTwoDecimals': (p) =>
    `${p.field} must be a ${p.positive ? 'positive ' : ''}number with at most 2 decimals, at most ${p.max}`,
  'validation.isCalendarDate': (p) => `${p.field} must be a date written YYYY-MM-DD`,
  'validation.other': (p) => p.text,
  'validation.nul': () => 'must not contain a NUL character',
  'validation.notUnicode': () => 'must be valid Unicode text',
  'validation.tooDeep': (p) => `is nested deeper than ${p.max} levels`,
  'validation.notAField': () => 'is not a field of this request',
  'validation.badKey': () => 'has a key that is not valid text',
  'validation.ifMatch': () => 'must be the ETag of the contract, e.g. "7"',
  'validation.fileMissing': () => 'send the file as multipart field "file"',
  'validation.tooManyValues': (p) => `holds more than ${p.max} values`,
  'upload.contentEncoding': () =>
    'An upload is sent without Content-Encoding (multipart/form-data as it is)',
  'upload.empty': () => 'the file is empty',
  'upload.badName': () =>
    'the file name must be UTF-8 text without NUL or other control characters',
  'upload.photoType': () => 'A visit photo is a JPEG or a PNG',
  'auth.passwordChangeRequired': () =>
    'Your password is a temporary one: change it first at POST /auth/password',
  'password.tooShort': (p) => `password must have at least ${p.min} characters`,
  'password.tooLong': (p) => `password must have at most ${p.max} characters`,
  'password.sameAsUsername': () => 'password must differ from the username',
  'password.common': () => 'password is one of the most common passwords; choose another',
  'password.notString': () => 'password must be a string',
  'auth.currentPasswordWrong': () => 'currentPassword is not your current password',
  'auth.sessionEnded': () =>
    'This session has ended (the password was changed or reset); log in again',
  'auth.roleMayNot': (p) => `Role ${p.role} may not do this`,
  'desk.csrfRejected': () => 'The form token is missing or does not match',
  'desk.chooseRegisterFile': () => 'choose the register file',
  'desk.chooseFile': () => 'choose a file',
  'desk.userCreated': (p: { username: string }) => `User ${p.username} created`,
  'desk.userDeactivated': (p: { username: string }) =>
    `User ${p.username} deactivated; all of its sessions have ended`,
  'desk.userReactivated': (p: { username: string }) => `User ${p.username} reactivated`,
  'desk.cannotDeactivateSelf': () => 'You cannot deactivate your own account',
  'desk.usernameTaken': (p: { username: string }) => `The username ${p.username} is already taken`,
  'validation.upload': (p) => p.text,

  'auth.bearerMissing': () =>
    'Send "Authorization: Bearer <accessToken>"; log in at POST /auth/login',
  'auth.tokenExpired': () => 'The access token has expired; log in again',
  'auth.tokenInvalid': () => 'The access token is not valid',
  'auth.userGone': () => 'The user of this token no longer exists or is deactivated',
  'auth.cooperativeOwnWork': () =>
    'A cooperative never verifies, accepts, audits or pays its own work',
  'auth.roleNotAllowed': (p) => `Role ${p.role} may not do this; allowed: ${p.allowed}`,
  'auth.wrongPassword': () => 'Wrong username or password',

  'refusal.villagePartState': (p) =>
    `village part ${p.taskCode}/${p.villageCode} is ${p.state ?? 'not part of this contract'}`,
  'refusal.verifiedAboveClaimed': (p) =>
    `${p.villageCode}: verified ${p.verified} mu is above the claimed ${p.claimed} mu`,
  'refusal.noTaskLine': (p) => `no task line ${p.taskCode}`,
  'refusal.nameEveryVillagePart': (p) =>
    `name every village part of ${p.taskCode} once (${p.parts})`,
  'refusal.acceptedAboveVerified': (p) =>
    `${p.villageCode}: accepted ${p.accepted} mu is above the verified ${p.verified} mu`,
  'refusal.taskLineState': (p) =>
    `task line ${p.taskCode} is ${p.state ?? 'not part of this contract'}`,
  'refusal.quorum': (p) =>
    `town acceptance needs ${p.quorum} distinct pass signers covering ${p.roles}; it has ${p.passCount} covering ${orNone(p.covered)}`,
  'refusal.sameApprover': () => 'The two approvals of an audit are given by two different people',
  'refusal.bureauApproved': (p) => `The ${p.bureau} side has approved this audit already`,
  'refusal.secondApprovalChanges': () =>
    'the second approval confirms the audited areas; it does not change them',
  'refusal.noAcceptedTaskLine': (p) => `no accepted task line ${p.taskCode}`,
  'refusal.auditedAboveAccepted': (p) =>
    `Task line ${p.taskCode}: audited ${p.audited} mu is above the accepted ${p.accepted} mu`,
  'refusal.payoutExists': (p) =>
    `The contract already has payout ${p.payoutId} (issued or confirmed)`,
  'refusal.payoutByApprover': () =>
    "The approver of the audit's finance side may not issue its payout",
  'refusal.providerNotEligible': (p) =>
    `The organisation is not eligible today${p.reason ? `: ${p.reason}` : ''}`,
  'refusal.payoutAmount': (p) =>
    `A payout is the final subsidy (${p.subsidyFen ?? 'none'} fen), and more than nothing`,
  'refusal.noticeClosed': () => 'This notice takes no more objections',
  'refusal.registerClosed': (p) =>
    `The register takes rows while the contract is contracted or in service; it is ${p.state}`,
  'refusal.acceptanceNotOpen': (p) =>
    `Task line ${p.taskCode} is ${p.state}; acceptance follows the village notices`,
  'refusal.sampleNotDrawn': () =>
    "The contract's policy asks for an audit sample: draw it and visit every sampled row before approving",
  'refusal.sampleNotVisited': (p) =>
    `${p.open} sampled row(s) are not visited yet; visit every sampled row before approving`,
  'refusal.sampleShortfall': (p) =>
    `Task line ${p.taskCode}: audited ${p.audited} mu is above the ${p.max} mu the audit sample supports`,
  'refusal.sampleExists': () =>
    'This contract has its audit sample already; a sample is drawn once',
  'refusal.notInSample': (p) => `Register row ${p.rowId} is not in this audit sample`,
  'refusal.alreadyVisited': (p) => `Register row ${p.rowId} has been visited already`,
  'refusal.observedAboveVerified': (p) =>
    `Row ${p.rowId}: observed ${p.observed} mu is above the verified ${p.verified} mu`,
  'refusal.visitBeforeSigning': (p) => `must not be before the contract was signed (${p.signedOn})`,
  'contract.versionConflict': (p) =>
    `Contract ${p.id} is at version ${p.version}, not ${p.expected}; reload it and try again`,
  'transition.notAllowedWhile': (p) => `${p.event} is not allowed while the contract is ${p.state}`,
  'transition.notAllowed': (p) => {
    const parts = [`the contract is ${p.contractState}`];
    if (p.taskCode !== undefined)
      parts.push(
        p.taskLineState === undefined
          ? `there is no task line ${p.taskCode}`
          : `task line ${p.taskCode} is ${p.taskLineState}`,
      );
    if (p.villageCode !== undefined)
      parts.push(
        p.villagePartState === undefined
          ? `village ${p.villageCode} has no part in it`
          : `village ${p.villageCode} is ${p.villagePartState}`,
      );
    return `${p.event} is not allowed now: ${parts.join(', ')}`;
  },

  'file.uploadTooLarge': (p) => `The file is larger than ${p.max} bytes`,
  'file.tooLarge': (p) => `The file has ${p.size} bytes; at most ${p.max} are accepted.`,
  'file.empty': () => 'The file is empty.',
  'file.noFilledRow': () => 'The file has no filled-in row.',
  'file.blankOnly': () => 'The file has only blank space.',
  'file.noDataRows': () => 'The file has a header but no rows.',
  'file.tooManyRows': (p) =>
    `The file has more than ${p.max} data rows; split it into smaller files.`,
  'file.columnTwice': (p) =>
    `The header names the column ${p.column} twice ("${p.first}" and "${p.second}").`,
  'file.notAHeader': (p) =>
    `The first filled-in row is not a header row; expected column names such as ${p.expected}.`,
  'file.missingColumns': (p) => `The header lacks the columns ${p.columns}.`,
  'file.replacementCharacter': (p) =>
    `Row ${p.row} contains U+FFFD (�), left by an earlier wrong character-set conversion; export the file again from the original.`,
  'file.replacementCharacterInText': () =>
    'The file contains U+FFFD (�), left by an earlier wrong character-set conversion; export the file again from the original.',
  'file.utf16': () =>
    'The file is UTF-16 text; save it as "CSV UTF-8" or as an Excel workbook (.xlsx).',
  'file.utf32': () =>
    'The file is UTF-32 text; save it as "CSV UTF-8" or as an Excel workbook (.xlsx).',
  'file.xls': () =>
    'The file is an Excel 97-2003 workbook (.xls), which cannot be read; save it in Excel or WPS as .xlsx or as CSV (UTF-8).',
  'file.ods': () =>
    'The file is an OpenDocument spreadsheet (.ods), which cannot be read; save it in LibreOffice, WPS or Excel as .xlsx or as CSV (UTF-8).',
  'file.notATable': () =>
    'The file is neither CSV text nor an XLSX workbook; save it as .xlsx or as CSV (UTF-8).',
  'file.controlCharacter': (p) =>
    `The file contains the control character U+${p.code}: it is binary data, not CSV text.`,
  'file.notUtf8OrGb18030': () =>
    'The file is neither UTF-8 nor GB18030 text; save it as "CSV UTF-8" or as an Excel workbook (.xlsx).',
  'file.badCsv': (p) => `The file is not a well-formed CSV table: ${p.why}.`,
  'file.badWorkbook': (p) => `The file is not a readable XLSX workbook: ${p.why}.`,
  'file.workbookUnreadable': (p) => `The workbook could not be read: ${p.why}.`,
  'file.workbookTruncated': (p) =>
    `The workbook is truncated or damaged (${p.part} does not end); save or upload the file again.`,
  'file.workbookTooLarge': (p) => `The workbook inflates to more than ${p.max} bytes.`,

  'row.inRow': (p) => `Row ${p.row}: ${p.message}`,
  'row.frozenCorrection': (p) =>
    `Row ${p.row} is ${p.state}; only rows not yet claimed can be corrected`,
  'row.frozenWithdrawal': (p) =>
    `Row ${p.row} is ${p.state}; only rows not yet claimed can be withdrawn`,
  'row.fieldEmpty': (p) => `${p.column} is empty`,
  'row.invisibleCharacter': (p) =>
    `${p.column} contains an invisible or control character (${p.character}); type the code again`,
  'row.fieldTooLong': (p) => `${p.column} is longer than ${p.max} characters`,
  'row.idNumber': (p) => `${p.column} ${ID_PROBLEM[p.problem]}`,
  'row.numberInIdentifierColumn': (p) =>
    `${p.column} is stored as a number (${p.text}), which loses digits, so the original cannot be known; format the ${p.column} column as text, type the values again and upload the file again`,
  'row.unknownVillage': (p) => `village ${p.value} is not in this contract's lot`,
  'row.unknownTask': (p) => `task ${p.value} is not in this contract`,
  'row.taskLineClosed': (p) => `task line ${p.taskCode} has been claimed; its rows are frozen`,
  'row.areaInvalid': (p) =>
    `${p.column} "${p.value}" must be a positive number with at most 2 decimals, at most 10000000.00`,
  'row.dateInvalid': (p) => `${p.column} "${p.value}" is not a date`,
  'row.dateOutsideWindow': (p) =>
    `${p.column} ${p.date} is outside the service window ${p.start} to ${p.end}`,
  'row.dateAfterDeadline': (p) =>
    `${p.column} ${p.date} is after the contract's work deadline ${p.deadline}`,
  'row.notSigned': (p) => `not signed: ${p.columns}`,
  'row.duplicatePlotTask': (p) =>
    `plot ${p.plotCode} (or a code that reads the same) is already registered for ${p.taskCode} in this project`,
  'row.overAssignedArea': (p) =>
    `${p.taskCode} would reach ${p.total} mu; the contract assigns ${p.limit} mu`,

  'bank.noPayoutNo': (p) => `The row has no ${p.column}`,
  'bank.duplicateRow': (p) => `Payout ${p.payoutNo} appears ${p.times} times in the file`,
  'bank.unknownPayout': (p) => `Payout ${p.payoutNo} is not in batch ${p.batchNo}`,
  'bank.badStatus': (p) => `${p.column} must be 成功/success or 失败/failed, not "${p.value}"`,
  'bank.referenceMissing': (p) => `A success needs its ${p.column} (≤ 100)`,
  'bank.reasonMissing': (p) => `A failure needs its ${p.column} (≤ 2000)`,
  'bank.badAmount': (p) => `${p.column} "${p.value}" is not an amount in yuan`,
  'bank.accountMismatch': (p) => `The account is not the payee's account of payout ${p.payoutNo}`,
  'bank.amountMismatch': (p) =>
    `Payout ${p.payoutNo} is ${p.expected} yuan, the row says ${p.actual}`,
  'bank.alreadyRecorded': (p) => `Payout ${p.payoutNo} is ${p.state} already, with another outcome`,
  'acceptance.reviseInstead': (p) =>
    `Record revision ${p.revision} is ${p.state}; revise it instead`,
  'acceptance.recordClosed': (p) => `Record revision ${p.revision} is ${p.state}`,
  'acceptance.alreadySigned': (p) => `${p.username} has already signed revision ${p.revision}`,
  'acceptance.noMoreSignatures': (p) =>
    `Record revision ${p.revision} is ${p.state}; it takes no more signatures`,
  'acceptance.villageNotInLine': (p) =>
    `Village ${p.villageCode} has no part in task line ${p.taskCode}`,
  'acceptance.villageNotInLineField': () => 'not a village part of this task line',
  'acceptance.acceptedAboveVerified': (p) =>
    `Village ${p.villageCode}: accepted ${p.accepted} mu is above the verified ${p.verified} mu`,
  'acceptance.nameEachVillage': (p) =>
    `Name each of the ${p.count} village parts of ${p.taskCode} once`,
  'acceptance.expectedVillages': (p) => `expected ${p.villages}`,
  'area.atMost': (p) => `at most ${p.max}`,
  'validation.notBefore': (p) => `must not be before ${p.other}`,
  'validation.taken': () => 'taken',

  'contract.signedBeforeOpening': (p) => `must not be before the tender's opening (${p.openingOn})`,
  'contract.signedBeforeAward': (p) => `must not be before the award (${p.awardedOn})`,
  'contract.signedAfterDeadline': (p) => `must not be after the work deadline (${p.workDeadline})`,
  'audit.publishedBeforeSigning': (p) =>
    `must not be before the contract was signed (${p.signedOn})`,
  'notice.closed': (p) =>
    `This notice ${CLOSED_AS[p.status] ?? p.status} at ${p.closedAt ?? 'its end'}; it takes no more objections`,
  'notice.rowNotOnNotice': (p) => `Register row ${p.rowId} is not on this notice`,
  'notice.rowNotOnNoticeField': () => 'not a row of this notice',
  'objection.listRoles': () => 'Objections are listed for village verifiers and district officials',
  'objection.alreadyResolved': (p) =>
    `Objection ${p.objectionId} was ${p.state} at ${p.resolvedAt ?? 'an earlier time'}`,
  'objection.villageResolves': () =>
    'Objections to a village notice are resolved by its village verifier',
  'objection.districtResolves': () =>
    'Objections to a media notice are resolved by the district agriculture committee',
  'verification.rowNotClaimed': (p) =>
    `Row ${p.rowId} is not a claimed row of ${p.taskCode} in ${p.villageCode}`,
  'verification.rowNotClaimedField': () => 'not a claimed row of this village part',
  'verification.verifiedAboveClaimed': (p) =>
    `Row ${p.rowNo} (${p.plotCode}): verified ${p.verified} mu is above the claimed ${p.claimed} mu`,

  'board.csrfRejected': () => 'The form token is missing or does not match',
  'board.rowNotOnNotice': () => 'The chosen plot is not on this notice; please choose again.',
  'board.fieldError': (p) => `${p.label}: ${p.error}`,
  'board.nameMissing': () => 'Please give your name.',
  'board.nameTooLong': (p) => `The name may be at most ${p.max} characters long.`,
  'board.phoneMissing': () => 'Please give a phone number.',
  'board.phoneInvalid': () =>
    'Give an 11-digit mobile number (such as 13812345678) or a landline with its area code (such as 0558-5123456).',
  'board.textMissing': () => 'Please write what the objection is about.',
  'board.textTooLong': (p) =>
    `The objection may be at most ${p.max} characters long; please shorten it.`,
  'board.rowInvalid': () => 'Choose a plot from the list, or "not specified".',

  'document.unknownKind': (p) => `No document kind ${p.kind}`,
  'document.noAcceptanceRecord': () => 'No acceptance record for this task line yet',
  'document.applicationNoClaim': () =>
    'The application form lists claimed task lines; none is claimed yet',
  'document.auditSheetNotYet': (p) =>
    `The audit sheet is issued once both bureaus approved; the contract is ${p.state}`,
  'document.mediaNoticeNotYet': () =>
    'The media notice text exists once the district has opened the media notice',
  'document.payoutOrderNotYet': (p) =>
    `A payout order exists once a payout is issued; the contract is ${p.state}`,
  'document.villageNoticeNotYet': () =>
    'No village notice of this task line and village yet: the village verifies first',

  'claim.incomplete': (p) => `The claim of ${p.taskCode} still needs: ${p.missing.join(', ')}`,
  'clock.advanceMissing': () => 'give advanceDays or advanceHours',

  'organisation.creditCodeTaken': (p) =>
    `An organisation with credit code ${p.code} already exists`,
  'organisation.notEligible': (p) => `${p.name} is not eligible on ${p.on}: ${p.reason}`,
  'organisation.creditCodeShape': () =>
    'creditCode must be 18 characters: digits and capital letters except I, O, S, V and Z, with digits in places 3-8',
  'organisation.creditCodeCheck': (p) =>
    `creditCode ${p.code} has a wrong check character (the 18th)`,
  'eligibility.blacklisted': (p) => `blacklisted from ${p.from} to ${p.until} (${p.reason})`,
  'eligibility.notListed': (p) =>
    `not listed in the service-organisation directory on ${p.on}, as the policy requires`,

  'payout.idempotencyKeyMissing': () =>
    'Send an Idempotency-Key header: a retry with the same key gets the same answer',
  'payout.idempotencyKeyShape': () => 'at most 200 visible ASCII characters',
  'payout.idempotencyKeyReused': () => 'This Idempotency-Key was used with another request',
  'payout.exists': (p) => `Contract ${p.contractId} already has a payout issued or confirmed`,
  'payout.alreadyState': (p) => `Payout ${p.payoutId} is ${p.state} already`,
  'batch.payoutMeanwhile': () => 'A payout was put in another batch meanwhile',
  'batch.nothingWaiting': () => 'No issued payout of the district is waiting for a batch',
  'batch.needsPayout': () => 'A batch needs at least one payout',
  'batch.financeOnly': () => 'Payment batches belong to a district finance bureau',
  'batch.payoutInBatch': (p) => `Payout ${p.payoutId} is in batch ${p.batchNo} already`,
  'batch.payoutNotIssued': (p) => `Payout ${p.payoutId} is ${p.state}, not issued`,

  'policy.notADistrict': () => 'not a district',
  'policy.codeTaken': (p) => `A policy with code ${p.code} exists`,
  'policy.overlap': (p) =>
    `Policy ${p.code} of district ${p.districtCode} is in force from ${p.from} to ${p.to ?? 'open end'}; two policies of a district may not be in force on the same day`,
  'project.serviceWindow': () => 'serviceEnd must not be before serviceStart',
  'project.duplicateTask': (p) => `Task code ${p.taskCode} appears twice`,
  'project.unknownVillages': (p) => `Not villages of district ${p.districtCode}: ${p.villages}`,
  'project.codeTaken': (p) => `Project ${p.code} already exists in district ${p.districtCode}`,
  'region.codeTaken': (p) => `Region code ${p.code} is already in use`,
  'region.districtHasNoParent': () => 'A district has no parent region',
  'region.parentMissing': (p) => `A ${p.level} needs parentCode: the code of its ${p.parentLevel}`,
  'region.parentNotFound': (p) => `Parent region ${p.code} does not exist`,
  'region.parentWrongLevel': (p) =>
    `The parent of a ${p.level} must be a ${p.parentLevel}; ${p.parentCode} is a ${p.actualLevel}`,

  'tender.awardBeforeOpening': () => 'Lots are awarded after the opening',
  'tender.unknownLot': (p) => `Tender ${p.tenderId} has no lot ${p.lotCode}`,
  'tender.lotAwarded': (p) =>
    `Lot ${p.lotCode} was awarded on ${p.awardedOn} (contract ${p.contractId})`,
  'tender.bidNotInLot': (p) => `Bid ${p.bidId} is not a bid on lot ${p.lotCode} of this tender`,
  'tender.deadlineOutsideWindow': (p) =>
    `workDeadline must be within the service window ${p.start} to ${p.end}`,
  'tender.awardDateInvalid': (p) =>
    `awardedOn must be between the opening (${p.openingOn}) and the work deadline (${p.workDeadline})`,
  'tender.notInvited': () => 'Your organisation was not invited to this tender',
  'tender.bidAfterOpening': (p) =>
    `Tender ${p.tenderId} was opened at ${p.openedAt ?? 'an earlier time'}; no more bids`,
  'tender.taskPricedTwice': (p) => `Task ${p.taskCode} is priced twice`,
  'tender.taskNotInLot': (p) => `Task ${p.taskCode} is not a task of lot ${p.lotCode}`,
  'tender.pricesIncomplete': (p) => `Lot ${p.lotCode} also needs prices for: ${p.tasks}`,
  'tender.bidsSealed': (p) =>
    `${p.count} bid(s) received; they stay sealed until the opening on ${p.openingOn}`,
  'tender.scoreBeforeOpening': () => 'Experts score bids after the opening',
  'tender.unknownBid': (p) => `Tender ${p.tenderId} has no bid ${p.bidId}`,
  'tender.scoreExists': (p) => `${p.expert} has already scored bid ${p.bidId}`,
  'tender.openingBeforePublished': () => 'openingOn must not be before publishedOn',
  'tender.invitedNeedsOrganisations': () => 'An invited tender needs invitedOrganisationIds',
  'tender.openInvitesNobody': () => 'An open tender invites nobody in particular',
  'tender.duplicateLot': (p) => `Lot code ${p.lotCode} appears twice`,
  'tender.lotVillagesOutside': (p) =>
    `Lot ${p.lotCode}: villages not in the project: ${p.villages}`,
  'tender.lotAreaExceedsPlan': (p) =>
    `The lots give task ${p.taskCode} ${p.area} mu; the project plans ${p.planned} mu`,
  'tender.lotTaskNotInProject': (p) =>
    `Lot ${p.lotCode}: task ${p.taskCode} is not a task of the project`,
  'tender.lotTaskTwice': (p) => `Lot ${p.lotCode}: task ${p.taskCode} appears twice`,
  'tender.invitedUnknown': () => 'Some invited organisations do not exist',
  'tender.alreadyOpened': (p) =>
    `Tender ${p.tenderId} was opened at ${p.openedAt ?? 'an earlier time'}`,
  'tender.notDue': (p) => `Tender ${p.tenderId} opens on ${p.openingOn}; today is ${p.today}`,

  'user.usernameTaken': (p) => `Username ${p.username} is already taken`,
  'user.cannotDeactivateSelf': () =>
    'An admin cannot deactivate its own account; ask another admin',
  'user.cooperativeNeedsOrganisation': () => 'A cooperative user needs organisationId',
  'user.organisationNotFound': (p) => `Organisation ${p.id} does not exist`,
  'user.roleNoOrganisation': (p) => `Role ${p.role} is not bound to an organisation`,
  'user.roleNoRegion': (p) => `Role ${p.role} is not bound to a region`,
  'user.roleNeedsRegion': (p) => `Role ${p.role} needs the code of its ${p.level}`,
  'user.regionNotFound': (p) => `Region ${p.code} does not exist`,
  'user.regionWrongLevel': (p) =>
    `Role ${p.role} must be bound to a ${p.level}; ${p.regionCode} is a ${p.actualLevel}`,
  'user.acceptorNeedsRole': () => 'A town acceptor needs acceptanceRole',
  'user.onlyAcceptorHasRole': () => 'Only a town acceptor has an acceptanceRole',
};
