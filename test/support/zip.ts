import { once } from 'node:events';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

/** One entry of an archive: its bytes, or data deflated beforehand (a bomb) with its real size. */
export interface ZipEntry {
  name: string;
  bytes?: Buffer;
  deflated?: { data: Buffer; size: number; crc: number };
}

/** Little-endian fields of the given widths (2 or 4 bytes), one after the other. */
function fields(...values: [width: 2 | 4, value: number][]): Buffer {
  const buffer = Buffer.alloc(values.reduce((sum, [width]) => sum + width, 0));
  let at = 0;
  for (const [width, value] of values) {
    if (width === 2) buffer.writeUInt16LE(value, at);
    else buffer.writeUInt32LE(value, at);
    at += width;
  }
  return buffer;
}

/** A ZIP archive of deflated entries (what an XLSX is), written by hand for hostile files. */
export function zipArchive(entries: readonly ZipEntry[]): Buffer {
  const body: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const bytes = entry.bytes ?? Buffer.alloc(0);
    const { data, size, crc } = entry.deflated ?? {
      data: deflateRawSync(bytes),
      size: bytes.length,
      crc: crc32(bytes),
    };
    // version, flags, method 8 (deflate), time, date, crc, sizes, name length, extra length
    const common: [2 | 4, number][] = [
      [2, 0],
      [2, 8],
      [2, 0],
      [2, 0],
      [4, crc],
      [4, data.length],
      [4, size],
      [2, name.length],
      [2, 0],
    ];
    const local = Buffer.concat([fields([4, 0x04034b50], [2, 20], ...common), name, data]);
    directory.push(
      Buffer.concat([
        fields(
          [4, 0x02014b50],
          [2, 20],
          [2, 20],
          ...common,
          [2, 0],
          [2, 0],
          [2, 0],
          [4, 0],
          [4, offset],
        ),
        name,
      ]),
    );
    body.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(directory);
  const end = fields(
    [4, 0x06054b50],
    [2, 0],
    [2, 0],
    [2, entries.length],
    [2, entries.length],
    [4, central.length],
    [4, offset],
    [2, 0],
  );
  return Buffer.concat([...body, central, end]);
}

/** `megabytes` MB of spaces, deflated as a stream (never held inflated): a bomb's payload. */
export async function deflatedBlanks(
  megabytes: number,
): Promise<{ data: Buffer; size: number; crc: number }> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const done = once(deflate, 'end');
  const megabyte = Buffer.alloc(1024 * 1024, ' ');
  let crc = 0;
  for (let n = 0; n < megabytes; n++) {
    crc = crc32(megabyte, crc);
    if (!deflate.write(megabyte)) await once(deflate, 'drain');
  }
  deflate.end();
  await done;
  return { data: Buffer.concat(out), size: megabytes * megabyte.length, crc };
}
