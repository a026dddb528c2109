import { DomainError } from '../../common/errors/domain-error';
import { FileUpload } from '../../common/http/file-upload.interceptor';
import { msg } from '../../common/i18n/message';
import { photoType } from './visit-photos.service';

const tooLarge = (max: number) =>
  new DomainError('PAYLOAD_TOO_LARGE', msg('file.uploadTooLarge', { max }));

/**
 * A visit's photo on the REST route: one multipart field `file`, at most UPLOAD_MAX_BYTES. Its
 * type (JPEG or PNG, 415 otherwise) is the photo service's to check, after the visit's scope, so
 * a caller outside the scope gets 404 whatever it sends.
 */
export const PhotoUpload = FileUpload('file', tooLarge, { refuseEmpty: true });

/**
 * The desk's visit form, which records the visit and its photo in one post: a photo that is not
 * a JPEG or PNG (sniffed from its first bytes) is refused with 415 before the handler runs, so the
 * form writes neither.
 */
export const PhotoFormUpload = FileUpload('file', tooLarge, {
  refuseEmpty: true,
  accept: (file) =>
    photoType(file.head)
      ? undefined
      : new DomainError('UNSUPPORTED_MEDIA_TYPE', msg('upload.photoType')),
});
