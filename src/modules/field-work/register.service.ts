import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type FindOptionsWhere } from 'typeorm';
import { notFound } from '../../common/errors/domain-error';
import type { Page } from '../../common/http/page.dto';
import { formatMu } from '../../common/values/decimal-units';
import { AuditLogService, districtChain } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { Contract } from '../contracts/contract.entity';
import { loadContractInScope } from '../contracts/contract-scope';
import type { ListRegisterQuery, RegisterRowDto } from './dto/register.dto';

import { fieldWorkError } from './field-work.errors';
import { RegisterRow } from './register-row.entity';
import { disclose } from '../auth/disclosure-policy';
import { msg } from '../../common/i18n/message';

export function toRegisterRowDto(viewer: Actor, row: RegisterRow): RegisterRowDto {
  return {
    id: row.id,
    row: row.rowNo,
    villageCode: row.villageCode,
    householdName: row.householdName,
    householdIdNo: disclose(viewer, 'residentId', row.householdIdNo),
    plotCode: row.plotCode,
    taskCode: row.taskCode,
    areaMu: formatMu(row.area),
    verifiedAreaMu: row.verifiedArea === null ? null : formatMu(row.verifiedArea),
    workDate: row.workDate,
    machineNo: row.machineNo,
    operatorName: row.operatorName,
    state: row.state,
  };
}

/** A checked register row, areas in hundredths of a mu. */
export type RegisterRowInput = Pick<
  RegisterRow,
  | 'rowNo'
  | 'villageCode'
  | 'householdName'
  | 'householdIdNo'
  | 'plotCode'
  | 'taskCode'
  | 'area'
  | 'workDate'
  | 'machineNo'
  | 'operatorName'
  | 'townCadreSigned'
  | 'villageCadreSigned'
  | 'operatorSigned'
  | 'farmerSigned'
>;

/**
 * The register rows of a contract: listed for who may see them, withdrawn by the cooperative.
 * Rows are stored by the import (RegisterImportService), whose first accepted rows start the work.
 */
@Injectable()
export class RegisterService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
  ) {}

  async list(
    actor: Actor,
    contractId: string,
    query: ListRegisterQuery,
  ): Promise<Page<RegisterRowDto>> {
    await loadContractInScope(this.dataSource.manager, actor, contractId);
    const where: FindOptionsWhere<RegisterRow> = { contractId };
    if (query.taskCode) where.taskCode = query.taskCode;
    if (query.villageCode) where.villageCode = query.villageCode;
    if (query.state) where.state = query.state as RegisterRow['state'];
    const [rows, total] = await this.dataSource.getRepository(RegisterRow).findAndCount({
      where,
      order: { taskCode: 'ASC', rowNo: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: rows.map((row) => toRegisterRowDto(actor, row)), total };
  }

  /** A row still being worked can be withdrawn by the cooperative; claimed rows are frozen. */
  withdraw(actor: Actor, contractId: string, rowId: string): Promise<RegisterRowDto> {
    return this.dataSource.transaction(async (manager) => {
      await manager.findOne(Contract, {
        where: { id: contractId },
        lock: { mode: 'pessimistic_write' },
      });
      const contract = await loadContractInScope(manager, actor, contractId);
      const row = await manager.findOneBy(RegisterRow, { id: rowId, contractId });
      if (!row) throw notFound('Register row', rowId);
      if (row.state !== 'working') {
        throw fieldWorkError(
          'ROW_FROZEN',
          msg('row.frozenWithdrawal', { row: row.rowNo, state: row.state }),
        );
      }
      await manager.update(RegisterRow, { id: rowId }, { state: 'withdrawn' });
      row.state = 'withdrawn';
      await this.auditLog.record(manager, {
        chain: districtChain(contract.districtCode),
        actor,
        action: 'register.row-withdrawn',
        entityType: 'contract',
        entityId: contractId,
        data: { rowId, rowNo: row.rowNo, plotCode: row.plotCode, taskCode: row.taskCode },
      });
      return toRegisterRowDto(actor, row);
    });
  }
}
