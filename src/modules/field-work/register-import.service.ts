import { msg } from '../../common/i18n/message';
import { Inject, Injectable } from '@nestjs/common';
import { registerRefusal, rowsStartWork, taskLineTakesRows } from '../contracts/machine/queries';
import { queryRefusalError } from '../contracts/workflow/refusal-error';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { shanghaiDate } from '../../common/clock/shanghai-date';
import { DomainError, notFound } from '../../common/errors/domain-error';
import { formatMu } from '../../common/values/decimal-units';
import { identifierKey } from '../../common/values/identifier';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { AuditLogService, districtChain } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { Contract, ContractTaskLine } from '../contracts/contract.entity';
import { loadContractInScope } from '../contracts/contract-scope';
import { ContractWorkflowService } from '../contracts/contract-workflow.service';
import { Project } from '../projects/project.entity';
import { Region } from '../regions/region.entity';

import { fieldWorkError } from './field-work.errors';
import type { CorrectRegisterRowDto, RegisterRowDto } from './dto/register.dto';
import { openByteSource, type ByteSource, type TableInput } from '../../common/files/byte-source';
import {
  RegisterFileError,
  openRegisterFile,
  type RegisterColumn,
  type RegisterFileFormat,
} from './register-file';
import { importRegisterRows } from './register-import-rows';
import { RegisterRow } from './register-row.entity';
import {
  checkRegisterRow,
  registeredRejection,
  type Rejection,
  type RowCheckContext,
} from './register-row-check';
import { toRegisterRowDto } from './register.service';

export interface ImportResult {
  format: RegisterFileFormat;
  accepted: number;
  rejected: Rejection[];
}

/**
 * The household register import (落实到户清册): every row is checked on its own and kept or
 * rejected with its row number and reason; the good rows of one file are stored in one
 * transaction, with COPY, batch by batch as the file is read. Imports of one project are
 * serialised (an advisory lock), so the (plot, task) check against stored rows cannot race; the
 * unique index on (project, plot key, task) stops what got past it. Plots are compared by their
 * key (common/values/identifier.ts), so a look-alike code is the same plot.
 */
@Injectable()
export class RegisterImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workflow: ContractWorkflowService,
    private readonly auditLog: AuditLogService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  /**
   * Imports one uploaded file (a temporary file on disk, or bytes already in memory). The file is
   * read twice, in chunks: once for its digest and (CSV) encoding, before the transaction; then
   * row by row into COPY (register-import-rows.ts), so memory does not grow with the file.
   */
  async import(
    actor: Actor,
    contractId: string,
    file: TableInput,
    fileName: string,
  ): Promise<ImportResult> {
    const source = await openByteSource(file);
    try {
      return await this.importFrom(actor, contractId, source, fileName);
    } catch (error) {
      if (error instanceof RegisterFileError) {
        throw fieldWorkError('REGISTER_FILE_REJECTED', error.text, { reason: error.reason });
      }
      throw error;
    } finally {
      await source.close();
    }
  }

  private async importFrom(
    actor: Actor,
    contractId: string,
    source: ByteSource,
    fileName: string,
  ): Promise<ImportResult> {
    const hash = createHash('sha256');
    for await (const chunk of source.views()) hash.update(chunk);
    const sha256 = hash.digest('hex');
    const table = await openRegisterFile(source, {
      maxRows: this.config.registerMaxRows,
      maxBytes: this.config.uploadMaxBytes,
    });

    return this.dataSource.transaction(async (manager) => {
      const contract = await loadContractInScope(manager, actor, contractId, { lock: true });
      const closed = registerRefusal(contract.state);
      if (closed) throw queryRefusalError(closed, contract.state, 'register.imported');
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `register:${contract.projectId}`,
      ]);
      const assigned = new Map(
        (await manager.find(ContractTaskLine, { where: { contractId } })).map((line) => [
          line.taskCode,
          line.assignedArea,
        ]),
      );
      const { rows, accepted, rejected } = await importRegisterRows(manager, contract, table, {
        context: await this.checkContext(manager, contract),
        assigned,
        used: await this.usedArea(manager, contractId),
      });

      if (rowsStartWork(contract.state) && accepted > 0) {
        await this.workflow.execute(
          { contractId, actor, prepare: () => Promise.resolve({ type: 'work.started' as const }) },
          manager,
        );
      }
      // A file that adds no row changes nothing, so it leaves nothing in the audit log either.
      if (accepted === 0) return { format: table.format, accepted: 0, rejected };
      await this.auditLog.record(manager, {
        chain: districtChain(contract.districtCode),
        actor,
        action: 'register.imported',
        entityType: 'contract',
        entityId: contractId,
        data: {
          fileName,
          sha256,
          bytes: source.size,
          format: table.format,
          rows,
          accepted,
          rejected: rejected.length,
        },
      });
      return { format: table.format, accepted, rejected };
    });
  }

  /**
   * Corrects a row not yet claimed: the given cells replace the stored ones and the row is
   * checked again like an imported one; a failed check answers 400 with the row's reject code.
   */
  async correct(
    actor: Actor,
    contractId: string,
    rowId: string,
    dto: CorrectRegisterRowDto,
  ): Promise<RegisterRowDto> {
    return this.dataSource.transaction(async (manager) => {
      const contract = await loadContractInScope(manager, actor, contractId, { lock: true });
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `register:${contract.projectId}`,
      ]);
      const row = await manager.findOneBy(RegisterRow, { id: rowId, contractId });
      if (!row) throw notFound('Register row', rowId);
      if (row.state !== 'working') {
        throw fieldWorkError(
          'ROW_FROZEN',
          msg('row.frozenCorrection', { row: row.rowNo, state: row.state }),
        );
      }
      const cells: Record<RegisterColumn, string> = {
        villageCode: dto.villageCode ?? row.villageCode,
        householdName: dto.householdName ?? row.householdName,
        householdIdNo: dto.householdIdNo ?? row.householdIdNo,
        plotCode: dto.plotCode ?? row.plotCode,
        taskCode: row.taskCode,
        areaMu: dto.areaMu === undefined ? formatMu(row.area) : String(dto.areaMu),
        workDate: dto.workDate ?? row.workDate,
        machineNo: dto.machineNo ?? row.machineNo,
        operatorName: dto.operatorName ?? row.operatorName,
        townCadreSigned: dto.townCadreSigned ?? row.townCadreSigned,
        villageCadreSigned: dto.villageCadreSigned ?? row.villageCadreSigned,
        operatorSigned: dto.operatorSigned ?? row.operatorSigned,
        farmerSigned: dto.farmerSigned ?? row.farmerSigned,
      };
      const reject = (rejection: Rejection): never => {
        throw new DomainError(
          rejection.code,
          msg('row.inRow', { row: row.rowNo, message: rejection.message }),
          {
            row: row.rowNo,
          },
        );
      };
      const checked = checkRegisterRow(
        row.rowNo,
        cells,
        await this.checkContext(manager, contract),
      );
      if (!checked.ok) return reject(checked.rejection);
      const value = checked.value;
      const plotKey = identifierKey(value.plotCode);
      const duplicate = await manager
        .createQueryBuilder(RegisterRow, 'r')
        .select('r.plotCode')
        .where(
          'r.project_id = :projectId AND r.plot_key = :plotKey AND r.task_code = :task AND r.state <> :withdrawn AND r.id <> :id',
          {
            projectId: contract.projectId,
            plotKey,
            task: value.taskCode,
            withdrawn: 'withdrawn',
            id: row.id,
          },
        )
        .getOne();
      const used = (await this.usedArea(manager, contractId)).get(value.taskCode) ?? 0;
      const assigned = (
        await manager.findOneByOrFail(ContractTaskLine, { contractId, taskCode: value.taskCode })
      ).assignedArea;
      const registered = registeredRejection(row.rowNo, value.taskCode, value.area, {
        earlierPlotCode: duplicate?.plotCode,
        usedArea: used - row.area,
        assignedArea: assigned,
      });
      if (registered) reject(registered);
      const { rowNo: _rowNo, ...cellChanges } = value;
      const changes = { ...cellChanges, plotKey };
      await manager.update(RegisterRow, { id: row.id }, changes);
      await this.auditLog.record(manager, {
        chain: districtChain(contract.districtCode),
        actor,
        action: 'register.row-corrected',
        entityType: 'contract',
        entityId: contractId,
        data: { rowId, rowNo: row.rowNo, fields: Object.keys(dto) },
      });
      return toRegisterRowDto(actor, { ...row, ...changes });
    });
  }

  private async checkContext(manager: EntityManager, contract: Contract): Promise<RowCheckContext> {
    const project = await manager.findOneByOrFail(Project, { id: contract.projectId });
    const villageCodes = (contract.villages ?? []).map((village) => village.villageCode);
    const regions = await manager.findBy(Region, { code: In(villageCodes) });
    const lines = await manager.find(ContractTaskLine, { where: { contractId: contract.id } });
    return {
      villages: new Map(regions.map((region) => [region.code, region.name])),
      tasks: new Map(
        lines.map((line) => [
          line.taskCode,
          { name: line.taskName, open: taskLineTakesRows(line.state) },
        ]),
      ),
      serviceStart: project.serviceStart,
      serviceEnd: project.serviceEnd,
      workDeadline: contract.workDeadline,
      today: shanghaiDate(this.clock.now()),
    };
  }

  /** Area already registered per task (rows not withdrawn), hundredths of a mu. */
  private async usedArea(manager: EntityManager, contractId: string): Promise<Map<string, number>> {
    const rows = await manager.query<{ task_code: string; area: string }[]>(
      `SELECT task_code, sum(area)::bigint AS area FROM register_row WHERE contract_id = $1 AND state <> 'withdrawn' GROUP BY task_code`,
      [contractId],
    );
    return new Map(rows.map((row) => [row.task_code, Number(row.area)]));
  }
}
