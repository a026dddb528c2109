import { creditCodeCheckCharacter } from '../../src/modules/organisations/credit-code';

let counter = 0;

/** A unique number for this test process, for codes and names. */
export function nextSeq(): number {
  counter += 1;
  return counter;
}

/** A valid 统一社会信用代码 (check character computed), unique within the process. */
export function validCreditCode(): string {
  const serial = String(100000000 + ((process.pid * 1000 + nextSeq()) % 899999999)).slice(0, 9);
  const first17 = `93341602${serial}`;
  return first17 + creditCodeCheckCharacter(first17);
}

/** The same code with a wrong check character. */
export function withWrongCheckCharacter(code: string): string {
  const wrong = code[17] === '0' ? '1' : '0';
  return code.slice(0, 17) + wrong;
}
