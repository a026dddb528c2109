/** The forms a contract's documents are issued in (GET /contracts/:id/documents/:kind). */
export const DOCUMENT_KINDS = [
  'award-notice',
  'application',
  'register',
  'village-notice',
  'acceptance',
  'audit',
  'media-notice',
  'payout-order',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
