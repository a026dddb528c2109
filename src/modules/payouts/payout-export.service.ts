import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { formatYuan } from '../../common/values/decimal-units';
import type { Actor } from '../auth/actor';
import { renderBankFile, type ExportFile } from './bank-file';

export type { ExportFile } from './bank-file';

const HEADER = [
  '收款单位',
  '开户银行',
  '户名',
  '银行账号',
  '金额(元)',
  '合同编号',
  '项目',
  '拨付单号',
  '状态',
];

/**
 * The payment batch for the bank: one row per payout of the caller's district, the account number
 * as text, the amount in yuan as a plain decimal, a totals row. Every text that a spreadsheet
 * would run as a formula is neutralised.
 */
@Injectable()
export class PayoutExportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async export(actor: Actor, state: string, format: 'csv' | 'xlsx'): Promise<ExportFile> {
    const rows = await this.dataSource.query<
      {
        payee_name: string;
        bank_name: string;
        bank_account_name: string;
        bank_account_no: string;
        amount_fen: string;
        contract_no: string | null;
        contract_id: string;
        project: string;
        payout_no: string;
        state: string;
      }[]
    >(
      `SELECT p.payee_name, p.bank_name, p.bank_account_name, p.bank_account_no, p.amount_fen, c.contract_no,
              c.id AS contract_id, pr.code || ' ' || pr.name AS project, p.payout_no, p.state
         FROM payout p JOIN contract c ON c.id = p.contract_id JOIN project pr ON pr.id = c.project_id
        WHERE p.state = $1 AND ($2::text IS NULL OR p.district_code = $2)
        ORDER BY p.issued_at, p.id`,
      [state, actor.role === 'admin' ? null : actor.districtCode],
    );
    const total = rows.reduce((sum, row) => sum + Number(row.amount_fen), 0);
    return renderBankFile(
      [
        HEADER,
        ...rows.map((row) => [
          row.payee_name,
          row.bank_name,
          row.bank_account_name,
          row.bank_account_no,
          formatYuan(Number(row.amount_fen)),
          row.contract_no ?? row.contract_id,
          row.project,
          row.payout_no,
          row.state,
        ]),
        ['合计', '', '', '', formatYuan(total), `${rows.length} 笔`, '', '', ''],
      ],
      { format, stem: `payouts-${state}`, sheetName: '拨付清单', textColumns: [4, 5] },
    );
  }
}
