import { hashPassword, verifyPassword } from './password-hasher';

describe('password hasher (scrypt)', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const one = await hashPassword('correct horse battery');
    const two = await hashPassword('correct horse battery');
    expect(one).not.toBe(two);
    expect(one).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    await expect(verifyPassword('correct horse battery', one)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', one)).resolves.toBe(false);
  });

  it('refuses hashes of another scheme instead of throwing', async () => {
    await expect(verifyPassword('x', '$2b$10$abcdefghijklmnopqrstuv')).resolves.toBe(false);
    await expect(verifyPassword('x', '')).resolves.toBe(false);
  });
});
