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
  /**
   * The same bytes as {@link chunks}, read into one buffer reused from chunk to chunk: each
   * chunk is valid only until the next is asked for. For a reader that copies or digests what it
   * gets (a hash, a decoder): a pass over a large file then allocates one buffer, not one a chunk
   * (buffers outside V8's heap that a pass with little garbage of its own frees late).
   */
  views(start?: number, end?: number, chunkBytes?: number): AsyncGenerator<Buffer>;
  close(): Promise<void>;
}

/** What a table reader takes: the bytes themselves, or the path of a file holding them. */
export type TableInput = Buffer | { path: string };

const CHUNK_BYTES = 64 * 1024;

export function bufferSource(buffer: Buffer): ByteSource {
  async function* chunks(start = 0, end = buffer.length, chunkBytes = CHUNK_BYTES) {
    for (let at = start; at < end; at += chunkBytes) {
      yield buffer.subarray(at, Math.min(at + chunkBytes, end));
    }
  }
  return {
    size: buffer.length,
    read: (offset, length) => Promise.resolve(buffer.subarray(offset, offset + length)),
    chunks,
    // Views of the buffer itself: nothing is copied either way.
    views: chunks,
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
  /** Up to `length` bytes from `offset` into `into` (a new buffer when not given). */
  const read = async (offset: number, length: number, into?: Buffer): Promise<Buffer> => {
    const wanted = Math.max(0, Math.min(length, size - offset));
    const target = into ? into.subarray(0, wanted) : Buffer.allocUnsafe(wanted);
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
  async function* inChunks(start: number, end: number, chunkBytes: number, reuse: boolean) {
    const into = reuse
      ? Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(0, end - start)))
      : undefined;
    for (let at = start; at < end;) {
      const chunk = await read(at, Math.min(chunkBytes, end - at), into);
      if (chunk.length === 0) return;
      at += chunk.length;
      yield chunk;
    }
  }
  return {
    size,
    read: (offset, length) => read(offset, length),
    chunks: (start = 0, end = size, chunkBytes = CHUNK_BYTES) =>
      inChunks(start, end, chunkBytes, false),
    views: (start = 0, end = size, chunkBytes = CHUNK_BYTES) =>
      inChunks(start, end, chunkBytes, true),
    close: () => handle.close(),
  };
}

export function openByteSource(input: TableInput): Promise<ByteSource> {
  return Buffer.isBuffer(input) ? Promise.resolve(bufferSource(input)) : fileSource(input.path);
}
