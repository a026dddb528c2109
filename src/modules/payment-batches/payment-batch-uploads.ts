import { FileUpload } from '../../common/http/file-upload.interceptor';
import { msg } from '../../common/i18n/message';
import { paymentBatchError } from './payment-batches.errors';

/** The bank's result file, for the REST route and the desk's form alike. */
export const ResultUpload = FileUpload('file', (max) =>
  paymentBatchError('RESULT_FILE_REJECTED', msg('file.uploadTooLarge', { max }), {
    reason: 'tooLarge',
  }),
);
