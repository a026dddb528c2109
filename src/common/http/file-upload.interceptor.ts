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
import { mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { finalize, type Observable } from 'rxjs';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import type { DomainError } from '../errors/domain-error';
import { validationFailed } from '../errors/domain-error';
import { msg } from '../i18n/message';

/**
 * Reads one multipart file field, at most UPLOAD_MAX_BYTES; a larger file is answered with the
 * route's own error (`tooLarge`), other multipart problems with 400. The file is held in memory
 * (`file.buffer`), or with `toDisk` written to a temporary file (`file.path`, under
 * DATA_DIR/uploads) that is deleted when the request ends, however it ends: a large register is
 * then never held whole (docs/register-import.md).
 */
export function FileUpload(
  field: string,
  tooLarge: (maxBytes: number) => DomainError,
  options: { toDisk?: boolean } = {},
): Type<NestInterceptor> {
  @Injectable()
  class FileUploadInterceptor implements NestInterceptor {
    private readonly upload: ReturnType<ReturnType<typeof multer>['single']>;

    constructor(@Inject(APP_CONFIG) private readonly config: RuntimeConfig) {
      let storage = multer.memoryStorage();
      if (options.toDisk) {
        const destination = path.join(config.dataDir, 'uploads');
        mkdirSync(destination, { recursive: true });
        storage = multer.diskStorage({ destination });
      }
      this.upload = multer({
        storage,
        limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 10, fieldSize: 64 * 1024 },
      }).single(field);
    }

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const http = context.switchToHttp();
      await new Promise<void>((resolve, reject) => {
        this.upload(http.getRequest<Request>(), http.getResponse<Response>(), (error: unknown) => {
          if (!error) return resolve();
          if (error instanceof multer.MulterError) {
            return reject(
              error.code === 'LIMIT_FILE_SIZE'
                ? tooLarge(this.config.uploadMaxBytes)
                : validationFailed([
                    {
                      field: error.field ?? field,
                      message: msg('validation.upload', { text: error.message }),
                    },
                  ]),
            );
          }
          reject(error instanceof Error ? error : new Error('Upload failed'));
        });
      });
      const tempFile = http.getRequest<Request>().file?.path;
      if (tempFile === undefined) return next.handle();
      // Multer itself removes the file of a refused upload; this is the file of one it accepted.
      return next.handle().pipe(finalize(() => void unlink(tempFile).catch(() => undefined)));
    }
  }
  return mixin(FileUploadInterceptor);
}
