import type { DocumentKind } from '../document-kind';
import type { FormContext, FormDescription } from './form-context';
import { awardNoticeForm } from './award-notice.form';
import { applicationForm } from './application.form';
import { registerForm } from './register.form';
import { villageNoticeForm } from './village-notice.form';
import { acceptanceForm } from './acceptance.form';
import { auditSheetForm } from './audit-sheet.form';
import { mediaNoticeForm } from './media-notice.form';
import { payoutOrderForm } from './payout-order.form';

/** One builder per document kind: adding a kind without its form does not compile. */
export const FORMS: Record<DocumentKind, (context: FormContext) => Promise<FormDescription>> = {
  'award-notice': awardNoticeForm,
  application: applicationForm,
  register: registerForm,
  'village-notice': villageNoticeForm,
  acceptance: acceptanceForm,
  audit: auditSheetForm,
  'media-notice': mediaNoticeForm,
  'payout-order': payoutOrderForm,
};
