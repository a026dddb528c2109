import { msg } from '../i18n/message';
import { Readable, pipeline } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import type { ByteSource } from './byte-source';
import { TableFileError } from './table-file-basics';

// Reading a ZIP archive by position (its central directory by hand, one part's bytes at a time),
// so that an uploaded XLSX is never held whole. The workbook guard (zip-guard.ts) decides which
// parts are read and how far they may inflate.

const LOCAL_FILE_SIGNATURE = 0x04034b50;
const CENTRAL_FILE_SIGNATURE = 0x02014b50;
export const END_SIGNATURE = 0x06054b50;
const ZIP64_END_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_END_SIGNATURE = 0x06064b50;
export const STORED = 0;
const DEFLATED = 8;

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** Where the central directory starts: every part's data ends before it. */
  directoryOffset: number;
}

export async function readCentralDirectory(source: ByteSource): Promise<ZipEntry[]> {
  try {
    const tailStart = Math.max(0, source.size - 22 - 0xffff);
    const tail = await source.read(tailStart, source.size - tailStart);
    const endInTail = findEndOfCentralDirectory(tail);
    const end = tailStart + endInTail;
    let count = tail.readUInt16LE(endInTail + 10);
    let size = tail.readUInt32LE(endInTail + 12);
    let offset = tail.readUInt32LE(endInTail + 16);
    if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
      const locator = endInTail - 20;
      if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_END_LOCATOR_SIGNATURE) {
        throw notAWorkbook('its ZIP64 directory is missing');
      }
      const zip64End = await source.read(safeNumber(tail.readBigUInt64LE(locator + 8)), 56);
      if (zip64End.readUInt32LE(0) !== ZIP64_END_SIGNATURE) {
        throw notAWorkbook('its ZIP64 directory is damaged');
      }
      count = safeNumber(zip64End.readBigUInt64LE(32));
      size = safeNumber(zip64End.readBigUInt64LE(40));
      offset = safeNumber(zip64End.readBigUInt64LE(48));
    }
    if (offset + size > end) throw notAWorkbook('its directory is damaged');
    // The directory itself is small (a few hundred bytes per part), and never beyond the upload.
    const directory = await source.read(offset, size);
    const entries: ZipEntry[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (directory.readUInt32LE(at) !== CENTRAL_FILE_SIGNATURE) {
        throw notAWorkbook('its directory is damaged');
      }
      const flags = directory.readUInt16LE(at + 8);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const entry: ZipEntry = {
        name: directory.toString('utf8', at + 46, at + 46 + nameLength),
        method: directory.readUInt16LE(at + 10),
        crc: directory.readUInt32LE(at + 16),
        compressedSize: directory.readUInt32LE(at + 20),
        uncompressedSize: directory.readUInt32LE(at + 24),
        localHeaderOffset: directory.readUInt32LE(at + 42),
        directoryOffset: offset,
      };
      readZip64Extra(
        directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength),
        entry,
      );
      if (flags & 0x1) throw notAWorkbook('it is encrypted');
      if (entry.method !== STORED && entry.method !== DEFLATED) {
        throw notAWorkbook(`the part ${entry.name} uses an unknown compression`);
      }
      if (entry.method === STORED && entry.compressedSize !== entry.uncompressedSize) {
        throw notAWorkbook('its directory is damaged');
      }
      // Each part lies before the directory; the parts that are read are checked again at their
      // local header (entryDataStart).
      if (entry.localHeaderOffset + 30 + entry.compressedSize > offset) {
        throw notAWorkbook('its directory is damaged');
      }
      entries.push(entry);
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } catch (error) {
    throw zipStructureError(error);
  }
}

function zipStructureError(error: unknown): TableFileError {
  if (error instanceof TableFileError) return error;
  // A read past the end: offsets that point nowhere.
  return notAWorkbook('its ZIP structure is damaged');
}

function findEndOfCentralDirectory(tail: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  for (let at = tail.length - 22; at >= 0; at--) {
    if (tail.readUInt32LE(at) === END_SIGNATURE) return at;
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

const DATA_STARTS = new WeakMap<ZipEntry, number>();

/** Where the part's data starts, from its local header; it must end before the directory. */
export async function entryDataStart(source: ByteSource, entry: ZipEntry): Promise<number> {
  const known = DATA_STARTS.get(entry);
  if (known !== undefined) return known;
  try {
    const header = await source.read(entry.localHeaderOffset, 30);
    if (header.readUInt32LE(0) !== LOCAL_FILE_SIGNATURE) {
      throw notAWorkbook(`the part ${entry.name} is missing`);
    }
    const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (start + entry.compressedSize > entry.directoryOffset)
      throw notAWorkbook('its directory is damaged');
    DATA_STARTS.set(entry, start);
    return start;
  } catch (error) {
    throw zipStructureError(error);
  }
}

/**
 * The part's inflated bytes in chunks of at most `chunkBytes`; damaged data throws
 * "the part … is damaged". Stopping early (a `break`) releases the inflater.
 */
export async function* entryChunks(
  source: ByteSource,
  entry: ZipEntry,
  chunkBytes: number,
): AsyncGenerator<Buffer> {
  const start = await entryDataStart(source, entry);
  const data = source.chunks(start, start + entry.compressedSize, chunkBytes);
  if (entry.method === STORED) {
    yield* data;
    return;
  }
  const inflater = createInflateRaw({ chunkSize: chunkBytes });
  // Errors reach the loop below through the inflater; the callback only keeps them handled.
  pipeline(Readable.from(data), inflater, () => undefined);
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } catch (error) {
    if (error instanceof TableFileError) throw error;
    throw notAWorkbook(`the part ${entry.name} is damaged`);
  }
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw notAWorkbook('its ZIP64 sizes are absurd');
  return Number(value);
}

export function notAWorkbook(why: string): TableFileError {
  return new TableFileError('notATable', msg('file.badWorkbook', { why }));
}

export function localHeader(name: string, size: number, crc: number): Buffer {
  const bytes = Buffer.from(name, 'utf8');
  const header = Buffer.alloc(30 + bytes.length);
  header.writeUInt32LE(LOCAL_FILE_SIGNATURE, 0);
  header.writeUInt16LE(10, 4); // version needed: stored
  header.writeUInt16LE(0x0800, 6); // UTF-8 name; sizes known, no data descriptor
  header.writeUInt16LE(STORED, 8);
  header.writeUInt32LE(crc, 14);
  header.writeUInt32LE(size, 18);
  header.writeUInt32LE(size, 22);
  header.writeUInt16LE(bytes.length, 26);
  bytes.copy(header, 30);
  return header;
}
