import { open } from 'node:fs/promises';

/**
 * An uploaded file read by position and in chunks, never whole: a temporary file on disk (what
 * the register upload leaves) or a buffer already in memory (tests, the demo, small uploads).
 */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Buffer>;
  /** The bytes from `start` to `end` (exclusive) in chunks of at most `chunkBytes`. */
  chunks(start?: number, end?: number, chunkBytes?: number): AsyncGenerator<Buffer>;
  close(): Promise<void>;
}

/** What a table reader takes: the bytes themselves, or the path of a file holding them. */
export type TableInput = Buffer | { path: string };

const CHUNK_BYTES = 64 * 1024;

export function bufferSource(buffer: Buffer): ByteSource {
  return {
    size: buffer.length,
    read: (offset, length) => Promise.resolve(buffer.subarray(offset, offset + length)),
    async *chunks(start = 0, end = buffer.length, chunkBytes = CHUNK_BYTES) {
      for (let at = start; at < end; at += chunkBytes) {
        yield buffer.subarray(at, Math.min(at + chunkBytes, end));
      }
    },
    close: () => Promise.resolve(),
  };
}

export async function fileSource(path: string): Promise<ByteSource> {
  const handle = await open(path, 'r');
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (error) {
    await handle.close();
    throw error;
  }
  const read = async (offset: number, length: number): Promise<Buffer> => {
    const target = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - offset)));
    let filled = 0;
    while (filled < target.length) {
      const { bytesRead } = await handle.read(
        target,
        filled,
        target.length - filled,
        offset + filled,
      );
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return target.subarray(0, filled);
  };
  return {
    size,
    read,
    async *chunks(start = 0, end = size, chunkBytes = CHUNK_BYTES) {
      for (let at = start; at < end;) {
        const chunk = await read(at, Math.min(chunkBytes, end - at));
        if (chunk.length === 0) return;
        at += chunk.length;
        yield chunk;
      }
    },
    close: () => handle.close(),
  };
}

export function openByteSource(input: TableInput): Promise<ByteSource> {
  return Buffer.isBuffer(input) ? Promise.resolve(bufferSource(input)) : fileSource(input.path);
}
