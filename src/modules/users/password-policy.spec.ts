import { render, type Message } from '../../common/i18n/message';
import { MIN_PASSWORD_LENGTH, passwordProblem } from './password-policy';

const english = (message: Message | undefined) => message && render(message, 'en');

describe('the password policy', () => {
  it('takes a password of 10 characters or more that is neither the username nor a common one', () => {
    expect(passwordProblem('long-enough-password', 'wangge')).toBeUndefined();
    expect(passwordProblem('麦收验收小组二〇一五年', 'wangge')).toBeUndefined();
    expect(passwordProblem('x'.repeat(128))).toBeUndefined();
  });

  it('refuses fewer than 10 characters, counting characters, not bytes', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(10);
    expect(english(passwordProblem('12345678'))).toBe('password must have at least 10 characters');
    expect(english(passwordProblem('abcdefghi'))).toBe('password must have at least 10 characters');
    // nine Chinese characters are 27 UTF-8 bytes and still nine characters
    expect(english(passwordProblem('麦收验收小组二〇一'))).toBe(
      'password must have at least 10 characters',
    );
    expect(passwordProblem('abcdefghij')).toBeUndefined();
  });

  it('refuses more than 128 characters', () => {
    expect(english(passwordProblem('x'.repeat(129)))).toBe(
      'password must have at most 128 characters',
    );
  });

  it('refuses the username itself, in any case', () => {
    expect(english(passwordProblem('wangge_verifier', 'wangge_verifier'))).toBe(
      'password must differ from the username',
    );
    expect(english(passwordProblem('Wangge_Verifier', 'wangge_verifier'))).toBe(
      'password must differ from the username',
    );
    expect(passwordProblem('wangge_verifier2', 'wangge_verifier')).toBeUndefined();
  });

  it('refuses the most common passwords, in any case', () => {
    for (const common of ['1234567890', 'qwertyuiop', 'Password123', 'woaini1314', '1qaz2wsx3edc'])
      expect(english(passwordProblem(common))).toBe(
        'password is one of the most common passwords; choose another',
      );
  });
});
