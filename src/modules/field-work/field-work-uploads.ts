import { FileUpload } from '../../common/http/file-upload.interceptor';
import { msg } from '../../common/i18n/message';
import { fieldWorkError } from './field-work.errors';

/** The register file's upload, for the REST route and the desk's form alike. */
export const RegisterUpload = FileUpload('file', (max) =>
  fieldWorkError('REGISTER_FILE_REJECTED', msg('file.uploadTooLarge', { max }), {
    reason: 'tooLarge',
  }),
);

/** An attachment's upload (an empty file is refused: nothing to keep), REST and desk alike. */
export const AttachmentUpload = FileUpload(
  'file',
  (max) => fieldWorkError('ATTACHMENT_TOO_LARGE', msg('file.uploadTooLarge', { max })),
  { refuseEmpty: true },
);
