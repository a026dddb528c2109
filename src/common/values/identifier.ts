/**
 * Identifiers typed by hand (plot codes, machine numbers, contract numbers) compared the way
 * people read them. The text is stored and shown exactly as typed; what makes two identifiers the
 * same is their key ({@link identifierKey}): `ＲＡＣＥ-PLOT-1` (full width), `RACE‐PLOT‐1` (U+2010
 * dashes) and `race-plot-1` all read as `RACE-PLOT-1`, so a unique index on the raw text would
 * let each of them in as another plot. A character nobody can see (a zero-width space, a BOM, a
 * bidi control, a control character) is not part of any identifier: such text is refused
 * ({@link invisibleCharacter}), never silently dropped, because on a printed notice it looks
 * exactly like the identifier without it.
 */

/**
 * Characters that show nothing: controls (Cc), format characters (Cf: zero-width space and
 * joiners, BOM, soft hyphen, bidi embeddings, overrides and isolates, …), line and paragraph
 * separators, surrogates, private-use and unassigned code points, every default-ignorable code
 * point (combining grapheme joiner, Hangul fillers, variation selectors, tags, …) and the
 * Braille blank.
 */
const INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}\u2800]/u;

/**
 * Dashes that read as `-` (after NFKC, which already folds U+FE63 and U+FF0D): every dash
 * punctuation character (U+2010–U+2015 and the others of category Pd) and the minus sign U+2212
 * (NFKC's image of the super- and subscript minus).
 */
const DASHES = /[\p{Pd}\u2212]/gu;

const LATIN = /\p{Script=Latin}+/gu;

const SPACES = /\s+/gu;

/**
 * The first invisible or control character of `text` as `U+XXXX`, or undefined when there is
 * none: what a refusal names.
 */
export function invisibleCharacter(text: string): string | undefined {
  const match = INVISIBLE.exec(text);
  if (!match) return undefined;
  const codePoint = match[0].codePointAt(0) as number;
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The key two identifiers are compared by: Unicode NFKC (full-width and other compatibility
 * forms to their plain letters and digits), every dash to `-`, Latin letters lower case, runs of
 * white space to one space, no space at either end. Text with an invisible character has no key
 * of its own: check {@link invisibleCharacter} first (the key of such text keeps the character,
 * so it never equals a visible identifier by accident either).
 */
export function identifierKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(DASHES, '-')
    .replace(LATIN, (letters) => letters.toLowerCase())
    .replace(SPACES, ' ')
    .trim();
}
