/**
 * The languages messages are written in: Chinese (zh-CN) by default, English when the request's
 * `Accept-Language` prefers it. Only the messages change; codes and JSON field names never do.
 */
export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'zh';

/** The `Content-Language` of an answer in each language. */
export const CONTENT_LANGUAGE: Readonly<Record<Language, string>> = { zh: 'zh-CN', en: 'en' };

/**
 * The language an `Accept-Language` header prefers among ours (RFC 9110 §12.5.4): each range's
 * q-value counts (absent = 1, `q=0` = not acceptable), the highest wins, an earlier range wins a
 * tie; `en`, `en-US`, … are English and `zh`, `zh-CN`, `zh-Hans`, … Chinese; `*` and languages
 * we do not have leave the default. So `en` and `fr, en;q=0.5` give English, `en;q=0.5, zh` and
 * `en;q=0` Chinese.
 */
export function preferredLanguage(header: string | readonly string[] | undefined): Language {
  const text = typeof header === 'string' ? header : (header ?? []).join(',');
  if (text.length > 2000) return DEFAULT_LANGUAGE;
  let best: { language: Language; q: number } | undefined;
  for (const part of text.split(',')) {
    const [range, ...parameters] = part.split(';').map((piece) => piece.trim());
    const primary = range.toLowerCase().split('-')[0];
    const language = (LANGUAGES as readonly string[]).includes(primary)
      ? (primary as Language)
      : undefined;
    if (!language) continue;
    let q = 1;
    for (const parameter of parameters) {
      const match = /^q\s*=\s*([01](?:\.\d{0,3})?)$/i.exec(parameter);
      if (match) q = Number(match[1]);
    }
    if (q > 0 && q <= 1 && (best === undefined || q > best.q)) best = { language, q };
  }
  return best?.language ?? DEFAULT_LANGUAGE;
}
