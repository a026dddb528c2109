import { Readable } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import { TableFileError } from './table-file-basics';

// The ZIP container of an uploaded XLSX, checked before anything inflates: its central
// directory read by hand, only the parts a worksheet needs kept, and the inflated size capped
// (a 1 MB file can inflate to 500 MB). A generic archive guard, split from table-file.ts.

const LOCAL_FILE_SIGNATURE = 0x04034b50;
const CENTRAL_FILE_SIGNATURE = 0x02014b50;
const END_SIGNATURE = 0x06054b50;
const ZIP64_END_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_END_SIGNATURE = 0x06064b50;
const STORED = 0;
const DEFLATED = 8;
const WORKBOOK = 'xl/workbook.xml';
const WORKBOOK_RELS = 'xl/_rels/workbook.xml.rels';
// Parts exceljs only needs the metadata of; an implausibly large one is a bomb.
const MAX_METADATA_BYTES = 10 * 1024 * 1024;

interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

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
  buffer: Buffer,
  maxUncompressed: number,
): Promise<Readable> {
  const entries = readCentralDirectory(buffer);
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
    const measured = await inflateEntry(buffer, entry, Math.min(limit, left), tooLarge, keep);
    left -= measured.size;
    return measured;
  };
  const inMemory = async (entry: ZipEntry) => {
    const { size, crc, content } = await measure(entry, MAX_METADATA_BYTES, true);
    return { name: entry.name, size, crc, content };
  };
  const streamed = async (entry: ZipEntry, name: string): Promise<Part> => {
    const { size, crc } = await measure(entry, Infinity, false);
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
      ? await streamed(sharedStringsEntry, 'xl/sharedStrings.xml')
      : storedPart('xl/sharedStrings.xml', EMPTY_SHARED_STRINGS),
    ...(stylesEntry ? [await streamed(stylesEntry, 'xl/styles.xml')] : []),
    await streamed(sheetEntry, 'xl/worksheets/sheet1.xml'),
  ];
  return Readable.from(storedArchive(buffer, parts), { objectMode: false });
}

async function* storedArchive(buffer: Buffer, parts: readonly Part[]): AsyncGenerator<Buffer> {
  for (const part of parts) {
    yield localHeader(part);
    if ('content' in part) {
      yield part.content;
      continue;
    }
    let written = 0;
    for await (const chunk of utf8Aligned(inflatedChunks(buffer, part.entry))) {
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

function inflatedChunks(buffer: Buffer, entry: ZipEntry): AsyncIterable<Buffer> {
  const data = entryData(buffer, entry);
  if (entry.method === STORED) {
    return (async function* () {
      for (let at = 0; at < data.length; at += CHUNK_BYTES) {
        yield data.subarray(at, at + CHUNK_BYTES);
      }
    })();
  }
  const inflater = createInflateRaw({ chunkSize: CHUNK_BYTES });
  inflater.end(data);
  return inflater;
}

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

function readCentralDirectory(buffer: Buffer): ZipEntry[] {
  try {
    const end = findEndOfCentralDirectory(buffer);
    let count = buffer.readUInt16LE(end + 10);
    let size = buffer.readUInt32LE(end + 12);
    let offset = buffer.readUInt32LE(end + 16);
    if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
      const locator = end - 20;
      if (locator < 0 || buffer.readUInt32LE(locator) !== ZIP64_END_LOCATOR_SIGNATURE) {
        throw notAWorkbook('its ZIP64 directory is missing');
      }
      const zip64End = safeNumber(buffer.readBigUInt64LE(locator + 8));
      if (buffer.readUInt32LE(zip64End) !== ZIP64_END_SIGNATURE) {
        throw notAWorkbook('its ZIP64 directory is damaged');
      }
      count = safeNumber(buffer.readBigUInt64LE(zip64End + 32));
      size = safeNumber(buffer.readBigUInt64LE(zip64End + 40));
      offset = safeNumber(buffer.readBigUInt64LE(zip64End + 48));
    }
    if (offset + size > end) throw notAWorkbook('its directory is damaged');
    const entries: ZipEntry[] = [];
    let at = offset;
    for (let i = 0; i < count; i++) {
      if (buffer.readUInt32LE(at) !== CENTRAL_FILE_SIGNATURE) {
        throw notAWorkbook('its directory is damaged');
      }
      const flags = buffer.readUInt16LE(at + 8);
      const nameLength = buffer.readUInt16LE(at + 28);
      const extraLength = buffer.readUInt16LE(at + 30);
      const commentLength = buffer.readUInt16LE(at + 32);
      const entry: ZipEntry = {
        name: buffer.toString('utf8', at + 46, at + 46 + nameLength),
        method: buffer.readUInt16LE(at + 10),
        crc: buffer.readUInt32LE(at + 16),
        compressedSize: buffer.readUInt32LE(at + 20),
        uncompressedSize: buffer.readUInt32LE(at + 24),
        localHeaderOffset: buffer.readUInt32LE(at + 42),
      };
      readZip64Extra(
        buffer.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength),
        entry,
      );
      if (flags & 0x1) throw notAWorkbook('it is encrypted');
      if (entry.method !== STORED && entry.method !== DEFLATED) {
        throw notAWorkbook(`the part ${entry.name} uses an unknown compression`);
      }
      if (entry.method === STORED && entry.compressedSize !== entry.uncompressedSize) {
        throw notAWorkbook('its directory is damaged');
      }
      if (entryDataStart(buffer, entry) + entry.compressedSize > offset) {
        throw notAWorkbook('its directory is damaged');
      }
      entries.push(entry);
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } catch (error) {
    if (error instanceof TableFileError) throw error;
    // A read past the end of the buffer: offsets that point nowhere.
    throw notAWorkbook('its ZIP structure is damaged');
  }
}

function findEndOfCentralDirectory(buffer: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  const lowest = Math.max(0, buffer.length - 22 - 0xffff);
  for (let at = buffer.length - 22; at >= lowest; at--) {
    if (buffer.readUInt32LE(at) === END_SIGNATURE) return at;
  }
  throw notAWorkbook('it has no ZIP directory');
}

/** The ZIP64 extra field holds the real value of each field that reads 0xFFFFFFFF. */
function readZip64Extra(extra: Buffer, entry: ZipEntry): void {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = () => {
        const value = safeNumber(extra.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
    }
    at += 4 + size;
  }
}

function entryDataStart(buffer: Buffer, entry: ZipEntry): number {
  const at = entry.localHeaderOffset;
  if (buffer.readUInt32LE(at) !== LOCAL_FILE_SIGNATURE) {
    throw notAWorkbook(`the part ${entry.name} is missing`);
  }
  return at + 30 + buffer.readUInt16LE(at + 26) + buffer.readUInt16LE(at + 28);
}

function entryData(buffer: Buffer, entry: ZipEntry): Buffer {
  const start = entryDataStart(buffer, entry);
  return buffer.subarray(start, start + entry.compressedSize);
}

/**
 * Inflates one part, counting the bytes (never more than `limit`) and checking its CRC; the
 * content is kept only when `keep`.
 */
async function inflateEntry(
  buffer: Buffer,
  entry: ZipEntry,
  limit: number,
  tooLarge: () => TableFileError,
  keep: boolean,
): Promise<{ size: number; crc: number; content: Buffer }> {
  const data = entryData(buffer, entry);
  const chunks: Buffer[] = [];
  let size = 0;
  let crc = 0;
  const take = (chunk: Buffer): boolean => {
    size += chunk.length;
    if (size > limit) return false;
    crc = crc32(chunk, crc);
    if (keep) chunks.push(chunk);
    return true;
  };
  if (entry.method === STORED) {
    if (!take(data)) throw tooLarge();
  } else {
    await new Promise<void>((resolve, reject) => {
      const inflater = createInflateRaw({ chunkSize: 256 * 1024 });
      inflater.on('data', (chunk: Buffer) => {
        if (take(chunk)) return;
        inflater.destroy();
        reject(tooLarge());
      });
      inflater.on('error', () => reject(notAWorkbook(`the part ${entry.name} is damaged`)));
      inflater.on('end', resolve);
      inflater.end(data);
    });
  }
  if (crc !== entry.crc) throw notAWorkbook(`the part ${entry.name} is damaged`);
  return { size, crc, content: Buffer.concat(chunks) };
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

function localHeader(part: Part): Buffer {
  const name = Buffer.from(part.name, 'utf8');
  const header = Buffer.alloc(30 + name.length);
  header.writeUInt32LE(LOCAL_FILE_SIGNATURE, 0);
  header.writeUInt16LE(10, 4); // version needed: stored
  header.writeUInt16LE(0x0800, 6); // UTF-8 name; sizes known, no data descriptor
  header.writeUInt16LE(STORED, 8);
  header.writeUInt32LE(part.crc, 14);
  header.writeUInt32LE(part.size, 18);
  header.writeUInt32LE(part.size, 22);
  header.writeUInt16LE(name.length, 26);
  name.copy(header, 30);
  return header;
}

// An empty end-of-central-directory record: exceljs's reader stops there.
const END_OF_ARCHIVE = (() => {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_SIGNATURE, 0);
  return end;
})();

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw notAWorkbook('its ZIP64 sizes are absurd');
  return Number(value);
}

function notAWorkbook(why: string): TableFileError {
  return new TableFileError('notATable', `The file is not a readable XLSX workbook: ${why}.`);
}

function tooLargeUncompressed(limit: number): TableFileError {
  return new TableFileError(
    'tooLarge',
    `The workbook's first sheet inflates to more than ${limit} bytes; remove formatting and other content, or upload CSV.`,
  );
}
