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
import type { Observable } from 'rxjs';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import type { DomainError } from '../errors/domain-error';
import { validationFailed } from '../errors/domain-error';

/**
 * Reads one multipart file field into memory, at most UPLOAD_MAX_BYTES; a larger file is
 * answered with the route's own error (`tooLarge`), other multipart problems with 400.
 */
export function FileUpload(
  field: string,
  tooLarge: (maxBytes: number) => DomainError,
): Type<NestInterceptor> {
  @Injectable()
  class FileUploadInterceptor implements NestInterceptor {
    private readonly upload: ReturnType<ReturnType<typeof multer>['single']>;

    constructor(@Inject(APP_CONFIG) private readonly config: RuntimeConfig) {
      this.upload = multer({
        storage: multer.memoryStorage(),
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
                : validationFailed([{ field: error.field ?? field, message: error.message }]),
            );
          }
          reject(error instanceof Error ? error : new Error('Upload failed'));
        });
      });
      return next.handle();
    }
  }
  return mixin(FileUploadInterceptor);
}
