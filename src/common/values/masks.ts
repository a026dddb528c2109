import { maskResidentId } from './resident-id';

/**
 * How each kind of personal or account number is shown to whoever may not see it in full. Who may
 * is the disclosure policy's question (modules/auth/disclosure-policy.ts); the logs mask every
 * such number they meet (common/logging/log-redaction.ts) with these same masks.
 */

/** The values that identify a person or an account: never shown in full to whoever asks. */
export type SensitiveKind = 'bankAccount' | 'residentId' | 'phone';

/** `6222000000001234` → `************1234`: enough to tell accounts apart, not to use one. */
export function maskAccount(accountNo: string): string {
  return `${'*'.repeat(Math.max(accountNo.length - 4, 0))}${accountNo.slice(-4)}`;
}

/** 13812345678 → 138****5678: enough to tell two objectors apart, not to call them. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 8) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

export const MASKS: Record<SensitiveKind, (value: string) => string> = {
  bankAccount: maskAccount,
  residentId: maskResidentId,
  phone: maskPhone,
};
