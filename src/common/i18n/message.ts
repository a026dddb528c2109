import { en } from './messages.en';
import { zh } from './messages.zh';
import type { Catalogue } from './catalogue';
import type { Language } from './language';

/**
 * A message for people, not yet in words: a key of the catalogues (messages.zh.ts,
 * messages.en.ts) and its parameters. Services, the machine and the file readers make these;
 * the edge (the problem filter, a controller answering rows) renders them in the request's
 * language with {@link render}. A parameter may itself be a message (rendered first).
 */
export interface Message {
  readonly key: MessageKey;
  readonly params: Readonly<Record<string, unknown>>;
}

export type MessageKey = keyof typeof zh;

/** A message's parameters as a caller passes them: a free-text slot may hold a message too. */
type Arguments<K extends MessageKey> =
  Parameters<(typeof zh)[K]> extends [infer P]
    ? [params: { [N in keyof P]: string extends P[N] ? P[N] | Message : P[N] }]
    : [];

const CATALOGUES: Readonly<Record<Language, Catalogue>> = { zh, en };

/** The message `key` with its parameters; a missing key or a wrong parameter does not compile. */
export function msg<K extends MessageKey>(key: K, ...params: Arguments<K>): Message {
  return { key, params: params[0] ?? {} };
}

export function isMessage(value: unknown): value is Message {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Message).key === 'string' &&
    Object.hasOwn(CATALOGUES.zh, (value as Message).key) &&
    typeof (value as Message).params === 'object'
  );
}

/**
 * The words of a message in `language`. A plain string (a message written before the catalogue,
 * or stored so in an earlier answer) is shown as it is.
 */
export function render(message: Message | string, language: Language): string {
  if (typeof message === 'string') return message;
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(message.params)) {
    params[name] = isMessage(value) ? render(value, language) : value;
  }
  const words = CATALOGUES[language][message.key] as (params: unknown) => string;
  return words(params);
}

/** Rows of an answer (`rejected: [{row, code, message}]`) with their messages in `language`. */
export function renderRows<R extends { message: Message | string }>(
  rows: readonly R[],
  language: Language,
): (Omit<R, 'message'> & { message: string })[] {
  return rows.map((row) => ({ ...row, message: render(row.message, language) }));
}

const IN_TEXT = 'i18n-message:';

/**
 * A message carried through a string-only channel (a custom class-validator constraint's
 * `defaultMessage`) and read back by the validation pipe with {@link messageInText}.
 */
export function messageAsText(message: Message): string {
  return IN_TEXT + JSON.stringify(message);
}

/** The message {@link messageAsText} wrote, or undefined for any other text. */
export function messageInText(text: string): Message | undefined {
  if (!text.startsWith(IN_TEXT)) return undefined;
  try {
    const message: unknown = JSON.parse(text.slice(IN_TEXT.length));
    return isMessage(message) ? message : undefined;
  } catch {
    return undefined;
  }
}
