import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { shanghaiDate } from '../../common/clock/shanghai-date';
import { commonError, notFound } from '../../common/errors/domain-error';
import type { Page } from '../../common/http/page.dto';
import { formatYuan } from '../../common/values/decimal-units';
import { AuditLogService } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { renderBankFile, type ExportFile } from '../payouts/bank-file';
import { Payout } from '../payouts/payout.entity';
import type {
  BatchStatesDto,
  CreatePaymentBatchDto,
  ListPaymentBatchesQuery,
  PaymentBatchCreatedDto,
  PaymentBatchDto,
} from './dto/payment-batch.dto';
import { PaymentBatch } from './payment-batch.entity';
import { contractError } from '../contracts/contracts.errors';
import { districtChain } from '../audit-log/audit-chain';
import { paymentBatchError } from './payment-batches.errors';
import { msg } from '../../common/i18n/message';

const FILE_HEADER = [
  '批次号',
  '拨付单号',
  '收款单位',
  '开户银行',
  '户名',
  '银行账号',
  '金额(元)',
  '合同编号',
  '项目',
  '状态',
];

type StateRow = { batch_id: string; state: string; n: string; amount: string };

/**
 * Payment batches (拨付批次): the finance bureau's issued payouts, numbered and sent to the bank
 * as one file. The bank's answer is recorded by {@link PaymentBatchResultService}.
 */
@Injectable()
export class PaymentBatchesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async create(actor: Actor, dto: CreatePaymentBatchDto): Promise<PaymentBatchCreatedDto> {
    const districtCode = this.districtOf(actor);
    try {
      return await this.dataSource.transaction(async (manager) => {
        // FOR UPDATE: a payout being confirmed or failed meanwhile is settled before or after,
        // never while it is put in the batch.
        const payouts =
          dto.payoutIds === undefined
            ? await manager.query<{ id: string; amount_fen: string }[]>(
                `SELECT p.id, p.amount_fen FROM payout p
                  WHERE p.district_code = $1 AND p.state = 'issued'
                    AND NOT EXISTS (SELECT 1 FROM payment_batch_payout i WHERE i.payout_id = p.id)
                  ORDER BY p.issued_at, p.id FOR UPDATE OF p`,
                [districtCode],
              )
            : await this.explicitPayouts(manager, districtCode, dto.payoutIds);
        if (payouts.length === 0) {
          throw paymentBatchError(
            'BATCH_EMPTY',
            dto.payoutIds === undefined ? msg('batch.nothingWaiting') : msg('batch.needsPayout'),
          );
        }
        // Gap-free per district and year: the counter row is taken in this transaction (a
        // second batch of the district waits for it) and given back if the batch rolls back.
        const year = Number(shanghaiDate(this.clock.now()).slice(0, 4));
        const [{ no }] = await manager.query<{ no: number }[]>(
          `INSERT INTO payment_batch_counter (district_code, year, last_no) VALUES ($1, $2, 1)
           ON CONFLICT (district_code, year) DO UPDATE SET last_no = payment_batch_counter.last_no + 1
           RETURNING last_no AS no`,
          [districtCode, year],
        );
        const totalFen = payouts.reduce((sum, payout) => sum + Number(payout.amount_fen), 0);
        const batch = manager.create(PaymentBatch, {
          batchNo: `PB${districtCode}-${year}-${String(no).padStart(4, '0')}`,
          districtCode,
          state: 'sent',
          count: payouts.length,
          totalFen,
          createdBy: actor.id,
        });
        await manager.save(batch);
        await manager.query(
          `INSERT INTO payment_batch_payout (batch_id, payout_id) SELECT $1, unnest($2::uuid[])`,
          [batch.id, payouts.map((payout) => payout.id)],
        );
        await this.auditLog.record(manager, {
          actor,
          chain: districtChain(districtCode),
          action: 'payment_batch.created',
          entityType: 'payment_batch',
          entityId: batch.id,
          data: { batchNo: batch.batchNo, count: batch.count, totalFen },
        });
        return {
          id: batch.id,
          batchNo: batch.batchNo,
          state: 'sent' as const,
          count: batch.count,
          totalFen,
          totalYuan: formatYuan(totalFen),
          payoutIds: payouts.map((payout) => payout.id),
        };
      });
    } catch (error) {
      // Another batch took one of these payouts between our read and our insert.
      if ((error as { constraint?: string }).constraint === 'payment_batch_payout_payout_id_key') {
        throw paymentBatchError('PAYOUT_IN_BATCH', msg('batch.payoutMeanwhile'));
      }
      throw error;
    }
  }

  async list(actor: Actor, query: ListPaymentBatchesQuery): Promise<Page<PaymentBatchDto>> {
    const [batches, total] = await this.dataSource.getRepository(PaymentBatch).findAndCount({
      where: {
        districtCode: this.districtOf(actor),
        ...(query.state ? { state: query.state } : {}),
      },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: await this.describe(batches), total };
  }

  async get(actor: Actor, batchId: string): Promise<PaymentBatchDto> {
    const [dto] = await this.describe([await this.load(actor, batchId)]);
    return dto;
  }

  /** The file for the bank: the columns of /payouts/export, with the batch and payout numbers. */
  async file(actor: Actor, batchId: string, format: 'csv' | 'xlsx'): Promise<ExportFile> {
    const batch = await this.load(actor, batchId);
    const rows = await this.dataSource.query<
      {
        payout_no: string;
        payee_name: string;
        bank_name: string;
        bank_account_name: string;
        bank_account_no: string;
        amount_fen: string;
        contract: string;
        project: string;
        state: string;
      }[]
    >(
      `SELECT p.payout_no, p.payee_name, p.bank_name, p.bank_account_name, p.bank_account_no,
              p.amount_fen, coalesce(c.contract_no, c.id::text) AS contract,
              pr.code || ' ' || pr.name AS project, p.state
         FROM payment_batch_payout i JOIN payout p ON p.id = i.payout_id
         JOIN contract c ON c.id = p.contract_id JOIN project pr ON pr.id = c.project_id
        WHERE i.batch_id = $1 ORDER BY p.payout_no`,
      [batch.id],
    );
    return renderBankFile(
      [
        FILE_HEADER,
        ...rows.map((row) => [
          batch.batchNo,
          row.payout_no,
          row.payee_name,
          row.bank_name,
          row.bank_account_name,
          row.bank_account_no,
          formatYuan(Number(row.amount_fen)),
          row.contract,
          row.project,
          row.state,
        ]),
        ['合计', '', '', '', '', '', formatYuan(batch.totalFen), `${batch.count} 笔`, '', ''],
      ],
      {
        format,
        stem: batch.batchNo,
        sheetName: '拨付批次',
        // batchNo, payoutNo, account number and amount stay text.
        textColumns: [1, 2, 6, 7],
      },
    );
  }

  /** The batch if it is the caller's district's; 404 otherwise. */
  async load(actor: Actor, batchId: string): Promise<PaymentBatch> {
    const batch = await this.dataSource.getRepository(PaymentBatch).findOneBy({ id: batchId });
    if (!batch || batch.districtCode !== this.districtOf(actor)) {
      throw notFound('Payment batch', batchId);
    }
    return batch;
  }

  private districtOf(actor: Actor): string {
    if (actor.districtCode === null) {
      throw commonError('FORBIDDEN', msg('batch.financeOnly'));
    }
    return actor.districtCode;
  }

  /** The named payouts, locked, each checked: in the district, issued, in no batch yet. */
  private async explicitPayouts(
    manager: EntityManager,
    districtCode: string,
    payoutIds: string[],
  ): Promise<{ id: string; amount_fen: string }[]> {
    const rows = await manager.query<
      { id: string; amount_fen: string; state: string; district_code: string; batch_no: string }[]
    >(
      `SELECT p.id, p.amount_fen, p.state, p.district_code, b.batch_no
         FROM payout p LEFT JOIN payment_batch_payout i ON i.payout_id = p.id
         LEFT JOIN payment_batch b ON b.id = i.batch_id
        WHERE p.id = ANY($1::uuid[]) ORDER BY p.issued_at, p.id FOR UPDATE OF p`,
      [payoutIds],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const id of payoutIds) {
      const row = byId.get(id);
      if (!row || row.district_code !== districtCode) throw notFound('Payout', id);
    }
    for (const row of rows) {
      if (row.batch_no !== null) {
        throw paymentBatchError(
          'PAYOUT_IN_BATCH',
          msg('batch.payoutInBatch', { payoutId: row.id, batchNo: row.batch_no }),
          { payoutId: row.id, batchNo: row.batch_no },
        );
      }
      // The payout's own state (issued → confirmed | failed), not a transition of its contract:
      // a batch sends no event to the contract's machine, so the refusal names no event.
      if (row.state !== 'issued') {
        throw contractError(
          'INVALID_TRANSITION',
          msg('batch.payoutNotIssued', { payoutId: row.id, state: row.state }),
          { state: row.state, payoutId: row.id },
        );
      }
    }
    return rows;
  }

  private async describe(batches: PaymentBatch[]): Promise<PaymentBatchDto[]> {
    if (batches.length === 0) return [];
    const ids = batches.map((batch) => batch.id);
    const [states, members] = await Promise.all([
      this.dataSource.query<StateRow[]>(
        `SELECT i.batch_id, p.state, count(*) AS n, sum(p.amount_fen) AS amount
           FROM payment_batch_payout i JOIN payout p ON p.id = i.payout_id
          WHERE i.batch_id = ANY($1::uuid[]) GROUP BY i.batch_id, p.state`,
        [ids],
      ),
      this.dataSource.query<{ batch_id: string; payout_id: string }[]>(
        `SELECT i.batch_id, i.payout_id FROM payment_batch_payout i JOIN payout p ON p.id = i.payout_id
          WHERE i.batch_id = ANY($1::uuid[]) ORDER BY p.issued_at, p.id`,
        [ids],
      ),
    ]);
    return batches.map((batch) => {
      const figures = (state: Payout['state']) => {
        const row = states.find((s) => s.batch_id === batch.id && s.state === state);
        const amountFen = Number(row?.amount ?? 0);
        return { count: Number(row?.n ?? 0), amountFen, amountYuan: formatYuan(amountFen) };
      };
      const byState: BatchStatesDto = {
        issued: figures('issued'),
        confirmed: figures('confirmed'),
        failed: figures('failed'),
      };
      return {
        id: batch.id,
        batchNo: batch.batchNo,
        state: batch.state,
        count: batch.count,
        totalFen: batch.totalFen,
        totalYuan: formatYuan(batch.totalFen),
        payoutIds: members.filter((m) => m.batch_id === batch.id).map((m) => m.payout_id),
        byState,
        createdAt: batch.createdAt.toISOString(),
        reconciledAt: batch.reconciledAt?.toISOString() ?? null,
      };
    });
  }
}
