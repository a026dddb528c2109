import { DomainError } from '../../common/errors/domain-error';
import type { POLICY_ERRORS } from '../../common/errors/error-codes';
import type { Message } from '../../common/i18n/message';

export type PolicyErrorCode = keyof typeof POLICY_ERRORS;

export function policyError(
  code: PolicyErrorCode,
  message: Message | string,
  extra: Record<string, unknown> = {},
): DomainError {
  return new DomainError(code, message, extra);
}
