import { DomainError } from '../../common/errors/domain-error';
import { FileUpload } from '../../common/http/file-upload.interceptor';
import { msg } from '../../common/i18n/message';
import { photoType } from './visit-photos.service';

/**
 * A visit's photo, for the REST route and the desk's visit form alike: one multipart field
 * `file`, at most UPLOAD_MAX_BYTES, and only a JPEG or PNG (sniffed from its first bytes, 415
 * otherwise) — refused before the handler runs, so a refused photo writes nothing.
 */
export const PhotoUpload = FileUpload(
  'file',
  (max) => new DomainError('PAYLOAD_TOO_LARGE', msg('file.uploadTooLarge', { max })),
  {
    refuseEmpty: true,
    accept: (file) =>
      photoType(file.head)
        ? undefined
        : new DomainError('UNSUPPORTED_MEDIA_TYPE', msg('upload.photoType')),
  },
);
