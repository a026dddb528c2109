import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Request } from 'express';
import { HashingDiskStorage } from './file-upload.interceptor';

// Every unlink takes 50 ms, so a storage that tells multer before its unlink has finished is
// seen with the file still there (the client got its 400 while the file was on disk).
jest.mock('node:fs/promises', () => {
  const actual = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises');
  return {
    ...actual,
    unlink: async (file: string) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return actual.unlink(file);
    },
  };
});

describe('HashingDiskStorage', () => {
  let directory: string;
  beforeEach(() => (directory = fs.mkdtempSync(path.join(os.tmpdir(), 'uploads-'))));
  afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

  const handle = (stream: PassThrough) =>
    new Promise<{ error: unknown; info: unknown; left: string[] }>((resolve) => {
      new HashingDiskStorage(directory)._handleFile(
        {} as Request,
        { stream } as never,
        (error, info) =>
          resolve({ error, info, left: fs.existsSync(directory) ? fs.readdirSync(directory) : [] }),
      );
    });

  it('a part that ends in an error has left no file when multer is told', async () => {
    const stream = new PassThrough();
    const told = handle(stream);
    stream.write(Buffer.alloc(4096, 1));
    while (fs.readdirSync(directory).length === 0)
      await new Promise((resolve) => setTimeout(resolve, 5));
    stream.destroy(new Error('Unexpected end of form'));
    const { error, left } = await told;
    expect((error as Error).message).toBe('Unexpected end of form');
    expect(left).toEqual([]);
  });

  it("a failure of our own write is a storage error, not the client's", async () => {
    fs.rmSync(directory, { recursive: true });
    const stream = new PassThrough();
    const told = handle(stream).catch((error: unknown) => ({ error }));
    stream.end(Buffer.alloc(4096, 1));
    const { error } = await told;
    expect(error).toMatchObject({ name: 'UploadStorageError' });
    expect((error as Error).message).toMatch(/^Could not store an upload: ENOENT/);
  });

  it('a whole part is on disk with its size, hash and head', async () => {
    const stream = new PassThrough();
    const told = handle(stream);
    stream.end(Buffer.from('hello'));
    const { error, info, left } = await told;
    expect(error).toBeNull();
    expect(info).toEqual({
      path: path.join(directory, left[0]),
      size: 5,
      sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      head: Buffer.from('hello'),
    });
    expect(fs.readFileSync(path.join(directory, left[0]), 'utf8')).toBe('hello');
  });
});
