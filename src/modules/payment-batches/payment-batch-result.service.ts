import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors/domain-error';
import { formatYuan, toHundredths } from '../../common/values/decimal-units';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { AuditLogService } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { TableFileError, readTableFile } from '../../common/files/table-file';
import { PayoutsService } from '../payouts/payouts.service';
import { normaliseAccount, RESULT_TABLE, resultStatus } from './bank-result-file';
import { markBatchesReconciled } from '../payouts/batch-reconciliation';
import type { RowCode } from './dto/payment-batch.dto';
import { msg, type Message } from '../../common/i18n/message';
import { districtChain } from '../audit-log/audit-chain';
import { PaymentBatchResult } from './payment-batch.entity';
import { paymentBatchError } from './payment-batches.errors';
import { PaymentBatchesService } from './payment-batches.service';

interface BatchPayout {
  id: string;
  payout_no: string;
  contract_id: string;
  bank_account_no: string;
  amount_fen: string;
}

/**
 * The answer to a result file, as kept under its digest: each rejected row's message is a
 * catalogue message (rendered in the language of each request that reads it; an answer kept
 * before the catalogue holds English text, shown as it is).
 */
export interface BatchResult {
  confirmed: number;
  failed: number;
  rejected: { row: number; code: RowCode; message: Message | string }[];
}

/** Rows applied at once: each is one command on its own contract, so they do not contend. */
const WIDTH = 4;

/**
 * The bank's result file of a payment batch: every row is checked against the batch, and a good
 * one confirms or fails its payout through the payout's own path (one workflow command per row,
 * each in its own transaction with its history and audit rows). Idempotent by content: the answer
 * is kept under the file's SHA-256, and a row whose payout already has that very outcome counts
 * as it did the first time, so an overlapping file applies nothing twice.
 */
@Injectable()
export class PaymentBatchResultService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly batches: PaymentBatchesService,
    private readonly payouts: PayoutsService,
    private readonly auditLog: AuditLogService,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * `file`: the upload on disk with the SHA-256 taken as it arrived (the route's), or bytes in
   * memory (tests). It is read from where it is, never loaded whole first.
   */
  async upload(
    actor: Actor,
    batchId: string,
    file: Buffer | { path: string; sha256: string },
  ): Promise<BatchResult> {
    const batch = await this.batches.load(actor, batchId);
    const sha256 = Buffer.isBuffer(file)
      ? createHash('sha256').update(file).digest('hex')
      : file.sha256;
    const stored = await this.dataSource
      .getRepository(PaymentBatchResult)
      .findOneBy({ batchId: batch.id, fileSha256: sha256 });
    if (stored) return JSON.parse(stored.responseBody) as BatchResult;

    let rows;
    try {
      ({ rows } = await readTableFile(
        Buffer.isBuffer(file) ? file : { path: file.path },
        { maxRows: this.config.registerMaxRows, maxBytes: this.config.uploadMaxBytes },
        RESULT_TABLE,
      ));
    } catch (error) {
      if (error instanceof TableFileError) {
        throw paymentBatchError('RESULT_FILE_REJECTED', error.text, { reason: error.reason });
      }
      throw error;
    }
    if (rows.length === 0) {
      throw paymentBatchError('RESULT_FILE_REJECTED', msg('file.noDataRows'), {
        reason: 'empty',
      });
    }

    const members = await this.dataSource.query<BatchPayout[]>(
      `SELECT p.id, p.payout_no, p.contract_id, p.bank_account_no, p.amount_fen
         FROM payment_batch_payout i JOIN payout p ON p.id = i.payout_id WHERE i.batch_id = $1`,
      [batch.id],
    );
    const byNo = new Map(members.map((payout) => [payout.payout_no, payout]));
    const times = new Map<string, number>();
    for (const { cells } of rows) {
      if (cells.payoutNo !== '') times.set(cells.payoutNo, (times.get(cells.payoutNo) ?? 0) + 1);
    }

    const rejected: BatchResult['rejected'] = [];
    const reject = (row: number, code: RowCode, message: Message) =>
      rejected.push({ row, code, message });
    const good: {
      row: number;
      payout: BatchPayout;
      outcome: 'confirmed' | 'failed';
      bankReference?: string;
      failureReason?: string;
    }[] = [];
    for (const { row, cells, labels, numbers } of rows) {
      const no = cells.payoutNo;
      // A payout number or an account that has been through a float may have lost digits.
      if (numbers.length > 0) {
        reject(
          row,
          'INVALID_ROW',
          msg('row.numberInIdentifierColumn', {
            column: labels[numbers[0]],
            text: cells[numbers[0]],
          }),
        );
        continue;
      }
      if (no === '') {
        reject(row, 'INVALID_ROW', msg('bank.noPayoutNo', { column: labels.payoutNo }));
        continue;
      }
      if ((times.get(no) ?? 0) > 1) {
        reject(
          row,
          'DUPLICATE_ROW',
          msg('bank.duplicateRow', { payoutNo: no, times: times.get(no) ?? 0 }),
        );
        continue;
      }
      const payout = byNo.get(no);
      if (!payout) {
        reject(
          row,
          'UNKNOWN_PAYOUT',
          msg('bank.unknownPayout', { payoutNo: no, batchNo: batch.batchNo }),
        );
        continue;
      }
      const outcome = resultStatus(cells.status);
      if (!outcome) {
        reject(
          row,
          'INVALID_ROW',
          msg('bank.badStatus', { column: labels.status, value: cells.status }),
        );
        continue;
      }
      if (outcome === 'confirmed' && !/^.{1,100}$/u.test(cells.bankReference)) {
        reject(row, 'INVALID_ROW', msg('bank.referenceMissing', { column: labels.bankReference }));
        continue;
      }
      if (outcome === 'failed' && !/^.{1,2000}$/su.test(cells.reason)) {
        reject(row, 'INVALID_ROW', msg('bank.reasonMissing', { column: labels.reason }));
        continue;
      }
      const amount = toHundredths(cells.amountYuan);
      if (amount === undefined) {
        reject(
          row,
          'INVALID_ROW',
          msg('bank.badAmount', { column: labels.amountYuan, value: cells.amountYuan }),
        );
        continue;
      }
      if (normaliseAccount(cells.bankAccountNo) !== payout.bank_account_no) {
        reject(row, 'ACCOUNT_MISMATCH', msg('bank.accountMismatch', { payoutNo: no }));
        continue;
      }
      if (amount !== Number(payout.amount_fen)) {
        reject(
          row,
          'AMOUNT_MISMATCH',
          msg('bank.amountMismatch', {
            payoutNo: no,
            expected: formatYuan(Number(payout.amount_fen)),
            actual: formatYuan(amount),
          }),
        );
        continue;
      }
      good.push(
        outcome === 'confirmed'
          ? { row, payout, outcome, bankReference: cells.bankReference }
          : { row, payout, outcome, failureReason: cells.reason },
      );
    }

    let confirmed = 0;
    let failed = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(WIDTH, good.length) }, async () => {
        while (next < good.length) {
          const item = good[next++];
          const answer = await this.apply(actor, item);
          if (answer === 'counted') {
            if (item.outcome === 'confirmed') confirmed += 1;
            else failed += 1;
          } else {
            reject(
              item.row,
              'ALREADY_RECORDED',
              msg('bank.alreadyRecorded', { payoutNo: item.payout.payout_no, state: answer.state }),
            );
          }
        }
      }),
    );
    await markBatchesReconciled(
      this.dataSource.manager,
      [...byNo.values()].map((p) => p.id),
      this.clock.now(),
    );

    rejected.sort((a, b) => a.row - b.row);
    const answer: BatchResult = { confirmed, failed, rejected };
    return this.keep(actor, batch, sha256, answer);
  }

  private async apply(
    actor: Actor,
    item: {
      payout: BatchPayout;
      outcome: 'confirmed' | 'failed';
      bankReference?: string;
      failureReason?: string;
    },
  ): Promise<'counted' | { state: string }> {
    try {
      const outcome = await this.payouts.recordBankAnswer(
        actor,
        { id: item.payout.id, contractId: item.payout.contract_id },
        item.outcome,
        { bankReference: item.bankReference, failureReason: item.failureReason },
      );
      return outcome.result === 'other' ? { state: outcome.state } : 'counted';
    } catch (error) {
      // The machine refused (the contract moved on otherwise, e.g. terminated): nothing written.
      if (error instanceof DomainError && error.code === 'INVALID_TRANSITION') {
        const state = error.extra.state;
        return { state: typeof state === 'string' ? state : 'not payable' };
      }
      throw error;
    }
  }

  /** Stores the answer under the file's digest; a racing upload of the same file keeps the first. */
  private async keep(
    actor: Actor,
    batch: { id: string; districtCode: string },
    sha256: string,
    answer: BatchResult,
  ): Promise<BatchResult> {
    const batchId = batch.id;
    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager.query<{ batch_id: string }[]>(
        `INSERT INTO payment_batch_result (batch_id, file_sha256, uploaded_by, response_body, uploaded_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (batch_id, file_sha256) DO NOTHING RETURNING batch_id`,
        [batchId, sha256, actor.id, JSON.stringify(answer), this.clock.now()],
      );
      if (inserted.length === 0) {
        const first = await manager.findOneByOrFail(PaymentBatchResult, {
          batchId,
          fileSha256: sha256,
        });
        return JSON.parse(first.responseBody) as BatchResult;
      }
      await this.auditLog.record(manager, {
        actor,
        chain: districtChain(batch.districtCode),
        action: 'payment_batch.result',
        entityType: 'payment_batch',
        entityId: batchId,
        data: {
          fileSha256: sha256,
          confirmed: answer.confirmed,
          failed: answer.failed,
          rejected: answer.rejected.length,
        },
      });
      return answer;
    });
  }
}
