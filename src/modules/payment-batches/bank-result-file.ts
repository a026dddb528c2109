import type { TableSpec } from '../../common/files/table-file';

/** The columns of the bank's result file (api.md, "Payment batches and the bank's result file"). */
export const RESULT_COLUMNS = [
  'payoutNo',
  'bankAccountNo',
  'amountYuan',
  'status',
  'bankReference',
  'reason',
] as const;
export type ResultColumn = (typeof RESULT_COLUMNS)[number];

/**
 * Chinese or English headers; `金额（元）` with full-width brackets matches too (the reader reads
 * them as ASCII ones). A file of successes only may leave out 失败原因, one of failures only 银行流水号.
 */
export const RESULT_TABLE: TableSpec<ResultColumn> = {
  columns: RESULT_COLUMNS,
  headers: {
    payoutNo: ['payoutNo', '拨付单号'],
    bankAccountNo: ['bankAccountNo', '银行账号'],
    amountYuan: ['amountYuan', '金额(元)'],
    status: ['status', '状态'],
    bankReference: ['bankReference', '银行流水号'],
    reason: ['reason', '失败原因'],
  },
  optional: ['bankReference', 'reason'],
  // A spreadsheet number here has been through a float: the row is refused (api.md).
  identifiers: ['payoutNo', 'bankAccountNo'],
};

const STATUS = new Map<string, 'confirmed' | 'failed'>([
  ['成功', 'confirmed'],
  ['success', 'confirmed'],
  ['失败', 'failed'],
  ['failed', 'failed'],
]);

/** `成功`/`success` → confirmed, `失败`/`failed` → failed (Latin letters in any case). */
export function resultStatus(text: string): 'confirmed' | 'failed' | undefined {
  return STATUS.get(text.trim().toLowerCase());
}

/** An account number as the bank writes it: spaces between digit groups do not count. */
export function normaliseAccount(text: string): string {
  return text.replace(/[\s\u3000]/g, '');
}
