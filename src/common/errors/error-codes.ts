import { HttpStatus } from '@nestjs/common';

/**
 * Every error code a client may see, with its HTTP status: the one registry. The codes are part
 * of the API contract (api.md); a code that is not here does not compile where it is thrown,
 * and a group here without a status for each of its codes does not compile either. Grouped by
 * the module that raises them; the module's `<noun>.errors.ts` has the helpers.
 */
const group = <const T extends Record<string, HttpStatus>>(codes: T): T => codes;

export const COMMON_ERRORS = group({
  VALIDATION_FAILED: HttpStatus.BAD_REQUEST,
  MALFORMED_REQUEST: HttpStatus.BAD_REQUEST,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  SEPARATION_OF_DUTIES: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  METHOD_NOT_ALLOWED: HttpStatus.METHOD_NOT_ALLOWED,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  TOO_MANY_REQUESTS: HttpStatus.TOO_MANY_REQUESTS,
  INTERNAL_ERROR: HttpStatus.INTERNAL_SERVER_ERROR,
  SERVICE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
});

export const REGION_ERRORS = group({
  REGION_CODE_TAKEN: HttpStatus.CONFLICT,
  REGION_PARENT_INVALID: HttpStatus.BAD_REQUEST,
});

export const ORGANISATION_ERRORS = group({
  CREDIT_CODE_INVALID: HttpStatus.BAD_REQUEST,
  CREDIT_CODE_TAKEN: HttpStatus.CONFLICT,
  /** Blacklisted, or not in the directory where the policy requires it (at bid, award, payout). */
  PROVIDER_NOT_ELIGIBLE: HttpStatus.CONFLICT,
});

export const POLICY_ERRORS = group({
  /** Two policies of one district in force on the same day. */
  POLICY_OVERLAP: HttpStatus.CONFLICT,
  POLICY_CODE_TAKEN: HttpStatus.CONFLICT,
});

export const USER_ERRORS = group({
  USERNAME_TAKEN: HttpStatus.CONFLICT,
  USER_SCOPE_INVALID: HttpStatus.BAD_REQUEST,
  /** An admin may not deactivate its own account (it would lock itself out). */
  CANNOT_DEACTIVATE_SELF: HttpStatus.CONFLICT,
  /** A temporary password (an admin's reset) is changed first: POST /auth/password. */
  PASSWORD_CHANGE_REQUIRED: HttpStatus.FORBIDDEN,
});

export const PROJECT_ERRORS = group({
  PROJECT_CODE_TAKEN: HttpStatus.CONFLICT,
  SERVICE_WINDOW_INVALID: HttpStatus.BAD_REQUEST,
  DUPLICATE_TASK_CODE: HttpStatus.BAD_REQUEST,
  UNKNOWN_VILLAGE: HttpStatus.BAD_REQUEST,
  UNKNOWN_TASK: HttpStatus.BAD_REQUEST,
});

export const TENDER_ERRORS = group({
  TENDER_DATES_INVALID: HttpStatus.BAD_REQUEST,
  INVITATION_INVALID: HttpStatus.BAD_REQUEST,
  DUPLICATE_LOT_CODE: HttpStatus.BAD_REQUEST,
  LOT_AREA_EXCEEDS_PLAN: HttpStatus.BAD_REQUEST,
  UNKNOWN_LOT: HttpStatus.BAD_REQUEST,
  BID_PRICES_INCOMPLETE: HttpStatus.BAD_REQUEST,
  TASK_NOT_IN_LOT: HttpStatus.BAD_REQUEST,
  UNKNOWN_BID: HttpStatus.BAD_REQUEST,
  BID_NOT_IN_LOT: HttpStatus.BAD_REQUEST,
  DEADLINE_OUTSIDE_SERVICE_WINDOW: HttpStatus.BAD_REQUEST,
  AWARD_DATE_INVALID: HttpStatus.BAD_REQUEST,
  NOT_INVITED: HttpStatus.FORBIDDEN,
  TENDER_NOT_DUE: HttpStatus.CONFLICT,
  TENDER_ALREADY_OPENED: HttpStatus.CONFLICT,
  TENDER_NOT_OPENED: HttpStatus.CONFLICT,
  BID_AFTER_OPENING: HttpStatus.CONFLICT,
  BIDS_SEALED: HttpStatus.CONFLICT,
  LOT_ALREADY_AWARDED: HttpStatus.CONFLICT,
  SCORE_EXISTS: HttpStatus.CONFLICT,
});

/** The contract machine's refusals (machine/refusals.ts) and the workflow loop's own. */
export const CONTRACT_ERRORS = group({
  INVALID_TRANSITION: HttpStatus.CONFLICT,
  VERSION_CONFLICT: HttpStatus.CONFLICT,
  AREA_ABOVE_PREVIOUS_STAGE: HttpStatus.BAD_REQUEST,
  APPROVAL_EXISTS: HttpStatus.CONFLICT,
  /** Town acceptance completed without its quorum: the services only send it when it is met. */
  QUORUM_NOT_MET: HttpStatus.CONFLICT,
  /** District audit by sample (api.md): one sample per contract, visits of its rows only, once. */
  AUDIT_SAMPLE_EXISTS: HttpStatus.CONFLICT,
  NOT_IN_SAMPLE: HttpStatus.CONFLICT,
  ALREADY_VISITED: HttpStatus.CONFLICT,
  AUDIT_SAMPLE_INCOMPLETE: HttpStatus.CONFLICT,
  AUDIT_SAMPLE_SHORTFALL: HttpStatus.CONFLICT,
});

/** A register row's refusals: in an import they are rows of the answer; on a correction, 400. */
export const REGISTER_ROW_ERRORS = group({
  INVALID_ID_NUMBER: HttpStatus.BAD_REQUEST,
  AREA_INVALID: HttpStatus.BAD_REQUEST,
  AFTER_DEADLINE: HttpStatus.BAD_REQUEST,
  MISSING_SIGNATURE: HttpStatus.BAD_REQUEST,
  DUPLICATE_PLOT_TASK: HttpStatus.BAD_REQUEST,
  OVER_ASSIGNED_AREA: HttpStatus.BAD_REQUEST,
  FIELD_INVALID: HttpStatus.BAD_REQUEST,
  TASK_LINE_CLOSED: HttpStatus.BAD_REQUEST,
});

export const FIELD_WORK_ERRORS = group({
  CLAIM_INCOMPLETE: HttpStatus.CONFLICT,
  REGISTER_FILE_REJECTED: HttpStatus.BAD_REQUEST,
  ROW_FROZEN: HttpStatus.CONFLICT,
  ATTACHMENT_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
});

export const NOTICE_ERRORS = group({
  NOTICE_CLOSED: HttpStatus.CONFLICT,
  OBJECTION_ALREADY_RESOLVED: HttpStatus.CONFLICT,
  UNKNOWN_REGISTER_ROW: HttpStatus.BAD_REQUEST,
});

export const ACCEPTANCE_ERRORS = group({
  ALREADY_SIGNED: HttpStatus.CONFLICT,
  ACCEPTANCE_CLOSED: HttpStatus.CONFLICT,
  ACCEPTANCE_VILLAGES_INVALID: HttpStatus.BAD_REQUEST,
});

export const PAYOUT_ERRORS = group({
  PAYOUT_EXISTS: HttpStatus.CONFLICT,
  IDEMPOTENCY_KEY_REUSED: HttpStatus.UNPROCESSABLE_ENTITY,
  IDEMPOTENCY_KEY_MISSING: HttpStatus.BAD_REQUEST,
});

export const PAYMENT_BATCH_ERRORS = group({
  PAYOUT_IN_BATCH: HttpStatus.CONFLICT,
  BATCH_EMPTY: HttpStatus.CONFLICT,
  RESULT_FILE_REJECTED: HttpStatus.BAD_REQUEST,
});

export const DOCUMENT_ERRORS = group({
  DOCUMENT_NOT_AVAILABLE: HttpStatus.CONFLICT,
  UNKNOWN_DOCUMENT_KIND: HttpStatus.NOT_FOUND,
});

export const BOARD_ERRORS = group({
  /** The form came without the token of a page this app served (a forged or stale post). */
  CSRF_REJECTED: HttpStatus.FORBIDDEN,
});

export const ERROR_STATUS = {
  ...COMMON_ERRORS,
  ...REGION_ERRORS,
  ...ORGANISATION_ERRORS,
  ...POLICY_ERRORS,
  ...USER_ERRORS,
  ...PROJECT_ERRORS,
  ...TENDER_ERRORS,
  ...CONTRACT_ERRORS,
  ...REGISTER_ROW_ERRORS,
  ...FIELD_WORK_ERRORS,
  ...NOTICE_ERRORS,
  ...ACCEPTANCE_ERRORS,
  ...PAYOUT_ERRORS,
  ...PAYMENT_BATCH_ERRORS,
  ...DOCUMENT_ERRORS,
  ...BOARD_ERRORS,
} satisfies Record<string, HttpStatus>;

export type ErrorCode = keyof typeof ERROR_STATUS;
