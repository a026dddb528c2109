import {
  Inject,
  Injectable,
  mixin,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { catchError, concatMap, finalize, type Observable } from 'rxjs';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { commonError, type DomainError, validationFailed } from '../errors/domain-error';
import { msg } from '../i18n/message';

/**
 * An uploaded file as the route gets it: already on disk, in a temporary file that is deleted
 * when the request ends however it ends, with its size and SHA-256 computed while it arrived.
 * Nothing ever holds the whole file in memory.
 */
export interface UploadedFileOnDisk {
  /** The temporary file (under DATA_DIR/uploads); move it away (FileStore.putFile) to keep it. */
  path: string;
  size: number;
  /** Lowercase hex SHA-256 of the content. */
  sha256: string;
  /** The client's file name, decoded as UTF-8 (never Latin-1 mojibake), checked for NUL etc. */
  originalName: string;
  /** The client's Content-Type of the part (untrusted: sniff `head` to know). */
  mimeType: string;
  /** The first bytes of the content (up to {@link HEAD_BYTES}), for a route that sniffs its type. */
  head: Buffer;
}

export interface FileUploadOptions {
  /** The multipart field of the file (default `file`). */
  field?: string;
  /** The route's own refusal of a file over the limit (413 or the route's 400 with a reason). */
  tooLarge: (maxBytes: number) => DomainError;
  /** The size limit; default UPLOAD_MAX_BYTES. */
  maxBytes?: (config: RuntimeConfig) => number;
  /** A 0-byte file → 400 VALIDATION_FAILED naming the field (an attachment: nothing to keep). */
  refuseEmpty?: boolean;
  /**
   * A check of the whole received file before the route runs (e.g. only JPEG or PNG: sniff
   * `head`, answer 415); a DomainError returned is the answer, and the file is deleted.
   */
  accept?: (file: UploadedFileOnDisk) => DomainError | undefined;
}

export const HEAD_BYTES = 64;

/** Text fields an upload may carry besides the file, and their size. */
const FIELD_LIMITS = { fields: 10, fieldSize: 64 * 1024, parts: 12, headerPairs: 100 };

/** What busboy and multer say of a body that is not multipart as its headers announce. */
const MALFORMED_MESSAGE =
  'The request body is not readable multipart/form-data (a boundary, part header or the end of the form is missing or malformed)';

/** Refused in a file name: NUL and other control characters, U+FFFD (bytes that were not UTF-8). */
const BAD_NAME_CHARACTER =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Errors of our own disk writes (a full disk): a fault of ours, answered 500 as such. */
class UploadStorageError extends Error {
  constructor(override readonly cause: unknown) {
    super(`Could not store an upload: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'UploadStorageError';
  }
}

type MulterFile = Express.Multer.File & { stream: Readable };

/**
 * multer's storage engine for uploads: the part is piped to a new temporary file while it is
 * hashed (SHA-256) and its size counted, in the stream's own chunks; its first bytes are kept
 * for sniffing. A part that ends in an error leaves no file: it is gone before multer hears of
 * the error, so the refusal never reaches the client while the file is still on disk.
 * Exported for its unit test only.
 */
export class HashingDiskStorage implements multer.StorageEngine {
  constructor(private readonly directory: string) {}

  _handleFile(
    _request: Request,
    file: MulterFile,
    callback: (error?: unknown, info?: Partial<UploadedFileOnDisk>) => void,
  ): void {
    const target = path.join(
      this.directory,
      `${Date.now()}-${randomBytes(8).toString('hex')}.part`,
    );
    const hash = createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    const digest = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        if (head.length < HEAD_BYTES)
          head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
        done(null, chunk);
      },
    });
    const out = createWriteStream(target, { flags: 'wx', mode: 0o600 });
    let diskError: unknown;
    out.once('error', (error) => (diskError = error));
    pipeline(file.stream, digest, out).then(
      () => callback(null, { path: target, size, sha256: hash.digest('hex'), head }),
      (error: unknown) => {
        // Our write failed first (a full disk), or the client's part did (pipeline then
        // destroys `out` with the client's error too, which is not a disk error).
        const refusal = diskError ? new UploadStorageError(diskError) : error;
        void unlink(target)
          .catch(() => undefined)
          .then(() => callback(refusal));
      },
    );
  }

  _removeFile(_request: Request, file: { path?: string }, callback: (error: Error | null) => void) {
    if (!file.path) return callback(null);
    unlink(file.path).then(
      () => callback(null),
      () => callback(null),
    );
  }
}

/** Waits until the client's body is read to its end (or the client is gone), discarding it. */
function drain(request: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    if (request.readableEnded || request.destroyed) return resolve();
    request.once('end', resolve).once('close', resolve).once('error', resolve);
    request.resume();
  });
}

function multerMessage(error: multer.MulterError): string {
  if (error.code === 'LIMIT_UNEXPECTED_FILE')
    return `unexpected file field "${error.field ?? ''}"; send one file`;
  if (error.code === 'LIMIT_FILE_COUNT') return 'send one file';
  return error.message;
}

/**
 * Reads one multipart file field straight to disk (see {@link UploadedFileOnDisk}); the route
 * gets it as `@UploadedFile()`. Every way a multipart body can be wrong is a 4xx that writes
 * nothing: larger than the limit → the route's `tooLarge`; a `Content-Encoding` on it → 415
 * UNSUPPORTED_MEDIA_TYPE; no or a wrong boundary, a truncated body, a malformed or oversized part
 * header → 400 MALFORMED_REQUEST; an unexpected field, too many parts, a file name with a NUL,
 * a control character or bytes that are not UTF-8, an empty file (with `refuseEmpty`) → 400
 * VALIDATION_FAILED naming the field. File names are read as UTF-8 (busboy's default is Latin-1).
 * The temporary file is removed on every path: by multer on a refused body, here once the
 * route has answered (a route that keeps the file moves it first).
 *
 * ```ts
 * const PhotoUpload = FileUpload('file', (max) => tooLarge(max), {
 *   accept: (file) => (isJpegOrPng(file.head) ? undefined : unsupportedType()),
 * });
 * @Post(':id/photos') @UseInterceptors(PhotoUpload) @ApiConsumes('multipart/form-data')
 * upload(@UploadedFile() file: UploadedFileOnDisk | undefined) { … requiredFile(file) … }
 * ```
 */
export function FileUpload(
  field: string,
  tooLarge: (maxBytes: number) => DomainError,
  options: Omit<FileUploadOptions, 'field' | 'tooLarge'> = {},
): Type<NestInterceptor> {
  @Injectable()
  class FileUploadInterceptor implements NestInterceptor {
    private readonly upload: ReturnType<ReturnType<typeof multer>['single']>;
    private readonly maxBytes: number;

    constructor(@Inject(APP_CONFIG) config: RuntimeConfig) {
      const destination = path.join(config.dataDir, 'uploads');
      mkdirSync(destination, { recursive: true });
      this.maxBytes = options.maxBytes?.(config) ?? config.uploadMaxBytes;
      this.upload = multer({
        storage: new HashingDiskStorage(destination),
        limits: { ...FIELD_LIMITS, fileSize: this.maxBytes, files: 1 },
        defParamCharset: 'utf8',
      }).single(field);
    }

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const http = context.switchToHttp();
      const request = http.getRequest<Request>();
      const encoding = request.headers['content-encoding'];
      const coding = encoding?.trim().toLowerCase();
      if (coding && coding !== 'identity') {
        await drain(request);
        throw commonError('UNSUPPORTED_MEDIA_TYPE', msg('upload.contentEncoding'));
      }
      const failure = await new Promise<unknown>((resolve) => {
        this.upload(request, http.getResponse<Response>(), resolve);
      });
      if (failure) {
        // multer drains a body it gave up on, except when busboy refused the headers at once.
        await drain(request);
        throw this.refusal(failure);
      }
      const file = request.file as UploadedFileOnDisk | undefined;
      if (file === undefined) return next.handle();
      const removeNow = () => unlink(file.path).catch(() => undefined);
      const remove = () => void removeNow();
      try {
        file.originalName = checkedName(field, (file as { originalname?: string }).originalname);
        file.mimeType = ((file as { mimetype?: string }).mimetype ?? '').slice(0, 100);
        if (options.refuseEmpty && file.size === 0)
          throw validationFailed([{ field, message: msg('upload.empty') }]);
        const refused = options.accept?.(file);
        if (refused) throw refused;
      } catch (error) {
        await removeNow();
        throw error;
      }
      // Removed before the answer goes out (a client that looks finds nothing left), and once
      // more when the stream ends however it ends.
      return next.handle().pipe(
        concatMap(async (value: unknown) => {
          await removeNow();
          return value;
        }),
        catchError(async (error: unknown) => {
          await removeNow();
          throw error;
        }),
        finalize(remove),
      );
    }

    private refusal(error: unknown): unknown {
      if (error instanceof multer.MulterError) {
        return error.code === 'LIMIT_FILE_SIZE'
          ? tooLarge(this.maxBytes)
          : validationFailed([{ field: error.field || field, message: multerMessage(error) }]);
      }
      if (error instanceof UploadStorageError) return error;
      // busboy's own errors (no boundary, a malformed part header, the end of the form missing)
      // and a client that went away mid-body: the body is not what its headers announce.
      return commonError('MALFORMED_REQUEST', MALFORMED_MESSAGE);
    }
  }
  return mixin(FileUploadInterceptor);
}

function checkedName(field: string, name: string | undefined): string {
  const text = name ?? '';
  if (BAD_NAME_CHARACTER.test(text))
    throw validationFailed([
      {
        field,
        message: msg('upload.badName'),
      },
    ]);
  // Cut by code points, never inside a surrogate pair (the column holds 255 characters).
  return Array.from(text).slice(0, 255).join('') || 'upload';
}

/** The file of an upload route, or 400 naming the field when the request carried none. */
export function requiredFile<T>(file: T | undefined, field = 'file'): T {
  if (!file) throw validationFailed([{ field, message: msg('validation.fileMissing') }]);
  return file;
}
