import { normaliseAccount, resultStatus } from './bank-result-file';

describe("the bank's result file", () => {
  it('reads 成功/success and 失败/failed, in any case, nothing else', () => {
    expect(['成功', 'success', ' SUCCESS ', '失败', 'failed', 'Failed'].map(resultStatus)).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
      'failed',
      'failed',
      'failed',
    ]);
    for (const text of ['', '处理中', 'ok', 'constructor', '__proto__', 'toString'])
      expect(resultStatus(text)).toBeUndefined();
  });

  it('ignores the spaces a bank puts between digit groups of an account number', () => {
    expect(normaliseAccount(' 6222 0000\u30001234 ')).toBe('622200001234');
    expect(normaliseAccount('0012')).toBe('0012');
  });
});
