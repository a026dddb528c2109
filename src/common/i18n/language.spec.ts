import { preferredLanguage } from './language';

describe('preferredLanguage (Accept-Language, q-values respected)', () => {
  it.each([
    [undefined, 'zh'],
    ['', 'zh'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['fr, en;q=0.5', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['en;q=0.5, zh', 'zh'],
    ['en;q=0.8, zh;q=0.8', 'en'],
    ['zh;q=0.8, en;q=0.8', 'zh'],
    ['en;q=0', 'zh'],
    ['*', 'zh'],
    ['de', 'zh'],
    ['EN-gb', 'en'],
    ['en;q=garbage', 'en'],
  ] as const)('%p → %s', (header, language) => {
    expect(preferredLanguage(header)).toBe(language);
  });
});
