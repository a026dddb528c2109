import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import type { ContractContext } from '../contracts/machine/contract.types';
import type { WorkItemDto, WorkItemPageDto, WorkItemQueryDto } from './dto/work-item.dto';
import { WORK_ITEM_QUERIES, type WorkItemKind } from './work-item-kinds';

interface WorkItemRow {
  kind: WorkItemKind;
  contract_id: string | null;
  contract_no: string | null;
  organisation_name: string | null;
  task_code: string | null;
  village_code: string | null;
  record_id: string | null;
  objection_id: string | null;
  payout_id: string | null;
  batch_id: string | null;
  snapshot: { context: ContractContext } | null;
  since: Date;
  due_at: Date | null;
}

/**
 * The to-do list (待办): what waits on the caller now, computed on each request from the state
 * the workflow keeps (no list of its own to fall out of step: an item is gone as soon as the
 * thing is done, by anyone). A caller's items are few (one village, one town, one district's
 * open work), so all are read and counted, then the page is cut.
 */
@Injectable()
export class WorkItemsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(actor: Actor, query: WorkItemQueryDto): Promise<WorkItemPageDto> {
    const kinds = WORK_ITEM_QUERIES[actor.role];
    const countsByKind: Partial<Record<WorkItemKind, number>> = {};
    const all: WorkItemRow[] = [];
    for (const kind of kinds) {
      const rows = await this.dataSource.query<WorkItemRow[]>(kind.sql, kind.params(actor));
      const kept = kind.keep ? rows.filter((row) => kind.keep?.(row)) : rows;
      countsByKind[kind.kind] = (countsByKind[kind.kind] ?? 0) + kept.length;
      all.push(...kept);
    }
    const chosen = all
      .filter((row) => !query.kind || row.kind === query.kind)
      .sort(
        (a, b) =>
          a.since.getTime() - b.since.getTime() ||
          (a.contract_id ?? a.batch_id ?? '').localeCompare(b.contract_id ?? b.batch_id ?? '') ||
          (a.task_code ?? '').localeCompare(b.task_code ?? '') ||
          (a.village_code ?? '').localeCompare(b.village_code ?? ''),
      );
    return {
      items: chosen.slice(query.offset, query.offset + query.limit).map(toWorkItemDto),
      total: chosen.length,
      countsByKind,
    };
  }
}

function toWorkItemDto(row: WorkItemRow): WorkItemDto {
  const item: WorkItemDto = {
    kind: row.kind,
    contractId: row.contract_id,
    contractNo: row.contract_no,
    organisationName: row.organisation_name,
    since: row.since.toISOString(),
  };
  if (row.task_code) item.taskCode = row.task_code;
  if (row.village_code) item.villageCode = row.village_code;
  if (row.record_id) item.recordId = row.record_id;
  if (row.objection_id) item.objectionId = row.objection_id;
  if (row.payout_id) item.payoutId = row.payout_id;
  if (row.batch_id) item.batchId = row.batch_id;
  if (row.due_at) item.dueAt = row.due_at.toISOString();
  return item;
}
