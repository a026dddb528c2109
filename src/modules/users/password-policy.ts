import { msg, type Message } from '../../common/i18n/message';

/**
 * The password policy of every route that sets a password (POST /users, an admin's reset,
 * POST /auth/password): at least 10 characters, not the username, and not one of the passwords
 * that guessers try first (issue 22). The demo's seeded password is not set through a route.
 */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

/**
 * The most common passwords of 10 characters or more, from the published lists of leaked
 * passwords (Chinese sites' lists included: 5201314…, woaini…, qq…); compared ignoring case.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '0000000000',
  '0123456789',
  '1111111111',
  '1234567890',
  '0987654321',
  '12345678910',
  '123456789a',
  'a123456789',
  '1234567890a',
  '1234567890q',
  '123123123123',
  '1234512345',
  '1122334455',
  '1357924680',
  '5201314520',
  '1314520520',
  '5201314123',
  'woaini1314',
  'woaini520520',
  'iloveyou12',
  'iloveyou123',
  'qq123456789',
  'aa123456789',
  'abc1234567',
  'abcd123456',
  'abcd1234567',
  'qwertyuiop',
  'qwerty12345',
  'qwerty123456',
  'qwertyuiop123',
  '1q2w3e4r5t',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'zaq12wsxcde3',
  'zxcvbnm123',
  'asdfghjkl1',
  'password12',
  'password123',
  'password1234',
  'passw0rd123',
  'p@ssw0rd123',
  'admin12345',
  'admin123456',
  'administrator',
  'adminadmin',
  'letmein123',
  'welcome123',
  'sunshine123',
  'football12',
  'baseball12',
  'princess12',
  'dragon1234',
  'monkey1234',
  'superman12',
  'changeme123',
  'test123456',
]);

/** What is wrong with this password for this user, or `undefined` when it may be set. */
export function passwordProblem(password: string, username?: string): Message | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH)
    return msg('password.tooShort', { min: MIN_PASSWORD_LENGTH });
  if ([...password].length > MAX_PASSWORD_LENGTH)
    return msg('password.tooLong', { max: MAX_PASSWORD_LENGTH });
  const lower = password.toLowerCase();
  if (username !== undefined && lower === username.trim().toLowerCase())
    return msg('password.sameAsUsername');
  if (COMMON_PASSWORDS.has(lower)) return msg('password.common');
  return undefined;
}
