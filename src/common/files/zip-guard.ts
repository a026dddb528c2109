import { msg } from '../i18n/message';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import type { ByteSource } from './byte-source';
import { TableFileError } from './table-file-basics';
import {
  END_SIGNATURE,
  entryChunks,
  localHeader,
  notAWorkbook,
  readCentralDirectory,
  type ZipEntry,
} from './zip-directory';

// The ZIP container of an uploaded XLSX, checked before anything inflates: its central
// directory read by hand (zip-directory.ts), only the parts a worksheet needs kept, and the
// inflated size capped (a 1 MB file can inflate to 500 MB). The upload is read by position from
// its temporary file, never held whole.

const WORKBOOK = 'xl/workbook.xml';
const WORKBOOK_RELS = 'xl/_rels/workbook.xml.rels';
// Parts exceljs only needs the metadata of; an implausibly large one is a bomb.
const MAX_METADATA_BYTES = 10 * 1024 * 1024;

/** A part of the archive given to exceljs: held in memory, or inflated again while streaming. */
type Part = { name: string; size: number; crc: number } & (
  { content: Buffer } | { entry: ZipEntry }
);

/**
 * The parts of the workbook exceljs needs (relationships, workbook, shared strings, styles and the
 * first worksheet), each inflated here once with a byte counter against `maxUncompressed`, then
 * handed to exceljs as a new ZIP stream of stored (uncompressed) parts with exact sizes:
 * - exceljs's reader goes by the local headers and would inflate whatever they describe; now it
 *   reads exactly the bytes that were counted;
 * - it decodes each chunk as UTF-8 on its own, so a character split between two chunks became
 *   U+FFFD (exceljs issues #2063, #2084); the chunks given here end on character boundaries;
 * - the worksheet comes after the shared strings, so it is not parked in a temporary file.
 */
export async function checkedWorkbookStream(
  source: ByteSource,
  maxUncompressed: number,
): Promise<Readable> {
  const entries = await readCentralDirectory(source);
  const byName = new Map<string, ZipEntry>();
  for (const entry of entries) {
    if (byName.has(entry.name)) throw notAWorkbook(`the part ${entry.name} appears twice`);
    byName.set(entry.name, entry);
  }
  let left = maxUncompressed;
  const measure = async (entry: ZipEntry, limit: number, keep: boolean) => {
    const tooLarge = () =>
      limit < left
        ? notAWorkbook(`its part ${entry.name} is implausibly large`)
        : tooLargeUncompressed(maxUncompressed);
    const measured = await inflateEntry(source, entry, Math.min(limit, left), tooLarge, keep);
    left -= measured.size;
    return measured;
  };
  const inMemory = async (entry: ZipEntry) => {
    const { size, crc, content } = await measure(entry, MAX_METADATA_BYTES, true);
    return { name: entry.name, size, crc, content };
  };
  const streamed = async (entry: ZipEntry, name: string, root: string): Promise<Part> => {
    const { size, crc, tail } = await measure(entry, Infinity, false);
    refuseTruncated(entry.name, tail, root);
    return { name, size, crc, entry };
  };

  const workbookEntry = byName.get(WORKBOOK);
  if (!workbookEntry) throw notAWorkbook(`it has no ${WORKBOOK}`);
  const relsEntry = byName.get(WORKBOOK_RELS);
  const workbook = await inMemory(workbookEntry);
  const rels = relsEntry
    ? await inMemory(relsEntry)
    : storedPart(WORKBOOK_RELS, EMPTY_RELATIONSHIPS);
  const relations = relationships(rels.content.toString('utf8'));

  const sheetEntry = firstWorksheet(workbook.content.toString('utf8'), relations, byName);
  if (!sheetEntry) throw notAWorkbook('it has no worksheet');
  const sharedStringsEntry = byName.get(
    relations.find((rel) => rel.type.endsWith('/sharedStrings'))?.target ?? 'xl/sharedStrings.xml',
  );
  const stylesEntry = byName.get(
    relations.find((rel) => rel.type.endsWith('/styles'))?.target ?? 'xl/styles.xml',
  );
  // What the directory declares is checked first, then what actually inflates (it can lie).
  const declared = [sharedStringsEntry, stylesEntry, sheetEntry].reduce(
    (sum, entry) => sum + (entry?.uncompressedSize ?? 0),
    0,
  );
  if (declared > left) throw tooLargeUncompressed(maxUncompressed);

  const parts: Part[] = [
    rels,
    workbook,
    // Without shared strings exceljs would park the worksheet in a temporary file.
    sharedStringsEntry
      ? await streamed(sharedStringsEntry, 'xl/sharedStrings.xml', 'sst')
      : storedPart('xl/sharedStrings.xml', EMPTY_SHARED_STRINGS),
    ...(stylesEntry ? [await streamed(stylesEntry, 'xl/styles.xml', 'styleSheet')] : []),
    await streamed(sheetEntry, 'xl/worksheets/sheet1.xml', 'worksheet'),
  ];
  return Readable.from(storedArchive(source, parts), { objectMode: false });
}

async function* storedArchive(source: ByteSource, parts: readonly Part[]): AsyncGenerator<Buffer> {
  for (const part of parts) {
    yield localHeader(part.name, part.size, part.crc);
    if ('content' in part) {
      yield part.content;
      continue;
    }
    let written = 0;
    for await (const chunk of utf8Aligned(entryChunks(source, part.entry, CHUNK_BYTES))) {
      written += chunk.length;
      // Cannot happen (inflating is deterministic); ending the archive early makes exceljs fail.
      if (written > part.size) return;
      yield chunk;
    }
    if (written !== part.size) return;
  }
  yield END_OF_ARCHIVE;
}

// exceljs parses one chunk at a time into event arrays; larger chunks tripled its GC time.
const CHUNK_BYTES = 16 * 1024;

/** Re-cuts a byte stream so that no chunk ends inside a UTF-8 character. */
async function* utf8Aligned(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const cut = utf8Boundary(bytes);
    carry = bytes.subarray(cut);
    if (cut > 0) yield bytes.subarray(0, cut);
  }
  if (carry.length > 0) yield carry;
}

/** The largest length ≤ `bytes.length` that ends on a character boundary. */
function utf8Boundary(bytes: Buffer): number {
  let start = bytes.length - 1;
  // Back over at most three continuation bytes (10xxxxxx) to the character's first byte.
  while (start >= 0 && bytes.length - start < 4 && (bytes[start] & 0xc0) === 0x80) start--;
  if (start < 0) return bytes.length;
  const first = bytes[start];
  const length = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return start + length > bytes.length ? start : bytes.length;
}

/**
 * Inflates one part, counting the bytes (never more than `limit`) and checking its CRC; the
 * content is kept only when `keep`.
 */
async function inflateEntry(
  source: ByteSource,
  entry: ZipEntry,
  limit: number,
  tooLarge: () => TableFileError,
  keep: boolean,
): Promise<{ size: number; crc: number; content: Buffer; tail: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let crc = 0;
  let tail = Buffer.alloc(0);
  for await (const chunk of entryChunks(source, entry, 256 * 1024)) {
    size += chunk.length;
    // Leaving the loop stops the inflater: a bomb is never inflated past the limit.
    if (size > limit) throw tooLarge();
    crc = crc32(chunk, crc);
    if (keep) chunks.push(chunk);
    tail = Buffer.concat([tail, chunk.subarray(-TAIL_BYTES)]).subarray(-TAIL_BYTES);
  }
  if (crc !== entry.crc) throw notAWorkbook(`the part ${entry.name} is damaged`);
  return { size, crc, content: Buffer.concat(chunks), tail: tail.toString('latin1') };
}

const TAIL_BYTES = 64;

/**
 * A part that does not end with its root element's closing tag was cut short (a truncated save,
 * a damaged copy): exceljs's reader would take what came before and answer with fewer rows, or
 * none. Such a workbook is refused whole.
 */
function refuseTruncated(name: string, tail: string, root: string): void {
  if (!new RegExp(`</(?:[A-Za-z_][\\w.-]*:)?${root}>\\s*$`).test(tail)) {
    throw new TableFileError('notATable', msg('file.workbookTruncated', { part: name }));
  }
}

interface Relationship {
  id: string;
  type: string;
  /** The part's name in the ZIP, resolved against `xl/`. */
  target: string;
}

// Just enough XML reading to find the first worksheet: the attributes of simple elements.
function relationships(xml: string): Relationship[] {
  const found: Relationship[] = [];
  for (const match of xml.matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*)>/g)) {
    const id = attribute(match[1], 'Id');
    const target = attribute(match[1], 'Target');
    if (id === undefined || target === undefined) continue;
    found.push({ id, type: attribute(match[1], 'Type') ?? '', target: resolvePartName(target) });
  }
  return found;
}

function firstWorksheet(
  workbookXml: string,
  rels: readonly Relationship[],
  byName: ReadonlyMap<string, ZipEntry>,
): ZipEntry | undefined {
  const sheets = /<(?:[\w.-]+:)?sheets\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?sheets>/.exec(workbookXml);
  const first = sheets ? /<(?:[\w.-]+:)?sheet\b([^>]*)>/.exec(sheets[1]) : null;
  // The relationship id is the namespaced `id` attribute (`r:id`, whatever the prefix).
  const relId = first ? /(?:^|\s)[\w.-]+:id\s*=\s*(["'])(.*?)\1/.exec(first[1])?.[2] : undefined;
  const target = rels.find((rel) => rel.id === relId)?.target;
  const entry = target === undefined ? undefined : byName.get(target);
  if (entry) return entry;
  // No usable workbook index: the lowest-numbered worksheet part.
  const numbered = [...byName.values()]
    .map((candidate) => ({
      candidate,
      number: /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(candidate.name)?.[1],
    }))
    .filter(({ number }) => number !== undefined)
    .sort((a, b) => Number(a.number) - Number(b.number));
  return numbered[0]?.candidate;
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(["'])(.*?)\\1`).exec(attributes);
  return match?.[2]
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** `worksheets/sheet1.xml` → `xl/worksheets/sheet1.xml`; `/xl/styles.xml` → `xl/styles.xml`. */
function resolvePartName(target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(segment);
  }
  return segments.join('/');
}

function storedPart(name: string, xml: string): Part & { content: Buffer } {
  const content = Buffer.from(xml, 'utf8');
  return { name, size: content.length, crc: crc32(content), content };
}

const EMPTY_RELATIONSHIPS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>';
const EMPTY_SHARED_STRINGS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>';

// An empty end-of-central-directory record: exceljs's reader stops there.
const END_OF_ARCHIVE = (() => {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_SIGNATURE, 0);
  return end;
})();

function tooLargeUncompressed(limit: number): TableFileError {
  return new TableFileError('tooLarge', msg('file.workbookTooLarge', { max: limit }));
}
