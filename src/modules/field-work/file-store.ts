import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';

/**
 * Content-addressed files under DATA_DIR/files/ab/abcdef…: the name is the SHA-256, written to
 * a temporary file, flushed and renamed into place, so a reader never sees half a file and the
 * same content is stored once.
 */
@Injectable()
export class FileStore {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: RuntimeConfig) {
    this.root = path.join(config.dataDir, 'files');
  }

  async put(content: Buffer): Promise<string> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const target = this.pathOf(sha256);
    try {
      await fs.access(target);
      return sha256;
    } catch {
      // not stored yet
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await fs.open(temporary, 'wx', 0o640);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, target);
    return sha256;
  }

  /**
   * Keeps an upload already on disk (the temporary file of FileUpload, whose SHA-256 was taken
   * as it arrived): flushed and renamed into place, never read into memory. The temporary file
   * is gone afterwards either way (moved, or deleted when the content is stored already).
   */
  async putFile(temporary: string, sha256: string): Promise<string> {
    const target = this.pathOf(sha256);
    try {
      await fs.access(target);
      await fs.rm(temporary, { force: true });
      return sha256;
    } catch {
      // not stored yet
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    const handle = await fs.open(temporary, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, target);
    return sha256;
  }

  async get(sha256: string): Promise<Buffer> {
    return fs.readFile(this.pathOf(sha256));
  }

  /** A stored file as a stream (archives and documents are sent without reading them whole). */
  open(sha256: string): ReadStream {
    return createReadStream(this.pathOf(sha256));
  }

  async size(sha256: string): Promise<number> {
    return (await fs.stat(this.pathOf(sha256))).size;
  }

  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`Not a SHA-256: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }
}
