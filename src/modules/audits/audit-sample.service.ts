import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { notFound } from '../../common/errors/domain-error';
import { formatHundredths, formatMu, toHundredths } from '../../common/values/decimal-units';
import { AuditLogService, GENESIS_HASH } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { disclose } from '../auth/disclosure-policy';
import { assertInScope } from '../auth/scope-policy';
import { contractScope, loadContractInScope } from '../contracts/contract-scope';
import type { Contract } from '../contracts/contract.entity';
import { ContractWorkflowService } from '../contracts/contract-workflow.service';
import {
  DEFAULT_AUDIT_SAMPLE,
  drawSample,
  maxAuditedArea,
  sampleSeed,
  shortfallBasisPoints,
} from '../contracts/machine/audit-sample';
import { SAMPLED_TASK_LINE_STATES, sampledTaskLines } from '../contracts/machine/queries';
import { SubsidyPolicy } from '../policies/policy.entity';
import type {
  AuditSampleDto,
  RecordVisitDto,
  SampleTaskLineDto,
  Satisfaction,
  VisitMethod,
} from './dto/audit-sample.dto';

/** The sample's parameters: the pinned policy's `auditSample`, else api.md's defaults. */
export interface SampleSettings {
  rateBasisPoints: number;
  minPerVillage: number;
  toleranceBasisPoints: number;
  /** The policy asks for a sample: no first approval before it is fully visited. */
  required: boolean;
}

export async function sampleSettings(
  manager: EntityManager,
  contract: Pick<Contract, 'policyId'>,
): Promise<SampleSettings> {
  const policy = contract.policyId
    ? await manager.findOneBy(SubsidyPolicy, { id: contract.policyId })
    : null;
  if (!policy || policy.auditSampleRateBasisPoints === null) {
    return { ...DEFAULT_AUDIT_SAMPLE, required: false };
  }
  return {
    rateBasisPoints: policy.auditSampleRateBasisPoints,
    minPerVillage: policy.auditSampleMinPerVillage ?? 0,
    toleranceBasisPoints: policy.auditSampleToleranceBasisPoints ?? 0,
    required: true,
  };
}

interface SampleRecord {
  id: string;
  contract_id: string;
  seed: string;
  chain: string;
  chain_seq: string | null;
  chain_hash: string;
  rate_basis_points: number;
  min_per_village: number;
  tolerance_basis_points: number;
  drawn_at: Date;
}

interface SampleRowRecord {
  register_row_id: string;
  row_no: number;
  task_code: string;
  village_code: string;
  verified_area: number;
  household_name: string;
  household_id_no: string;
  plot_code: string;
  visit_id: string | null;
  visited_on: string | null;
  method: VisitMethod | null;
  household_confirms: boolean | null;
  observed_area: number | null;
  satisfaction: Satisfaction | null;
  note: string | null;
}

interface PhotoRecord {
  id: string;
  visit_id: string;
  sha256: string;
  taken_at: Date | null;
  latitude: string | null;
  longitude: string | null;
}

/**
 * The district audit by sample (api.md, "District audit by sample"): the draw and each visit are
 * events of the contract, decided by its machine (refusals.ts) and saved by the workflow loop
 * with the sample's rows; nothing is written before the machine accepts.
 */
@Injectable()
export class AuditSampleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workflow: ContractWorkflowService,
    private readonly auditLog: AuditLogService,
  ) {}

  async draw(actor: Actor, contractId: string): Promise<AuditSampleDto> {
    const sampleId = randomUUID();
    await this.workflow.execute({
      contractId,
      actor,
      prepare: async ({ manager, contract, current, now, write }) => {
        assertInScope(actor, contractScope(contract), 'Contract', contractId);
        const settings = await sampleSettings(manager, contract);
        // The seed: the district chain's last linked event before the draw (api.md).
        const head = await this.auditLog.contractChainHead(contract.id, manager);
        const chainHash = head?.hash ?? GENESIS_HASH;
        const seed = sampleSeed(contract.id, chainHash);
        const accepted = sampledTaskLines(current.context);
        const candidates = await manager.query<
          {
            id: string;
            row_no: number;
            task_code: string;
            village_code: string;
            verified_area: number;
          }[]
        >(
          `SELECT id, row_no, task_code, village_code, verified_area FROM register_row
            WHERE contract_id = $1 AND state = 'claimed' AND verified_area > 0
              AND task_code = ANY($2::varchar[])`,
          [contract.id, accepted],
        );
        const drawn = drawSample(
          seed,
          candidates.map((row) => ({
            rowId: row.id,
            rowNo: row.row_no,
            taskCode: row.task_code,
            villageCode: row.village_code,
            verifiedArea: row.verified_area,
          })),
          settings,
        );
        // Written in the transition's save, only if the machine accepts the draw.
        write({
          sql: `INSERT INTO audit_sample (id, contract_id, seed, chain, chain_seq, chain_hash,
                  rate_basis_points, min_per_village, tolerance_basis_points, drawn_at, drawn_by)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          params: [
            sampleId,
            contract.id,
            seed,
            contract.districtCode,
            head?.seq ?? null,
            chainHash,
            settings.rateBasisPoints,
            settings.minPerVillage,
            settings.toleranceBasisPoints,
            now,
            actor.id,
          ],
        });
        write({
          sql: `INSERT INTO audit_sample_row (sample_id, register_row_id, position, row_no, task_code,
                  village_code, verified_area)
                SELECT $1, r.id, r.position, r.row_no, r.task_code, r.village_code, r.verified_area
                  FROM unnest($2::uuid[], $3::int[], $4::int[], $5::varchar[], $6::varchar[], $7::int[])
                    AS r(id, position, row_no, task_code, village_code, verified_area)`,
          params: [
            sampleId,
            drawn.map((row) => row.rowId),
            drawn.map((_, index) => index),
            drawn.map((row) => row.rowNo),
            drawn.map((row) => row.taskCode),
            drawn.map((row) => row.villageCode),
            drawn.map((row) => row.verifiedArea),
          ],
        });
        return {
          type: 'audit.sampleDrawn' as const,
          sampleId,
          seed,
          chainSeq: head?.seq ?? null,
          chainHash,
          toleranceBasisPoints: settings.toleranceBasisPoints,
          rows: drawn.map((row) => ({
            rowId: row.rowId,
            taskCode: row.taskCode,
            verifiedArea: row.verifiedArea,
          })),
        };
      },
    });
    return this.show(actor, contractId, { withOutcome: false });
  }

  async recordVisit(actor: Actor, sampleId: string, dto: RecordVisitDto): Promise<{ id: string }> {
    const contractId = await this.contractOfSample(actor, sampleId);
    const visitId = randomUUID();
    const observedArea = toHundredths(dto.observedAreaMu) as number;
    await this.workflow.execute({
      contractId,
      actor,
      prepare: ({ contract, now, write }) => {
        assertInScope(actor, contractScope(contract), 'Audit sample', sampleId);
        write({
          sql: `INSERT INTO audit_visit (id, sample_id, register_row_id, visited_on, method,
                  household_confirms, observed_area, satisfaction, note, recorded_by, recorded_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          params: [
            visitId,
            sampleId,
            dto.rowId,
            dto.visitedOn,
            dto.method,
            dto.householdConfirms,
            observedArea,
            dto.satisfaction ?? null,
            dto.note?.trim() || null,
            actor.id,
            now,
          ],
        });
        // Whether the row is in the sample, not visited yet, and the area fits: the machine's rule.
        return Promise.resolve({
          type: 'audit.visitRecorded' as const,
          sampleId,
          visitId,
          rowId: dto.rowId,
          visitedOn: dto.visitedOn,
          observedArea,
        });
      },
    });
    return { id: visitId };
  }

  /** The contract of a sample the actor may see; else 404 naming the sample. */
  private async contractOfSample(actor: Actor, sampleId: string): Promise<string> {
    const [row] = await this.dataSource.query<{ contract_id: string }[]>(
      `SELECT contract_id FROM audit_sample WHERE id = $1`,
      [sampleId],
    );
    if (!row) throw notFound('Audit sample', sampleId);
    await loadContractInScope(this.dataSource.manager, actor, row.contract_id, {
      what: 'Audit sample',
      id: sampleId,
    });
    return row.contract_id;
  }

  async get(actor: Actor, contractId: string): Promise<AuditSampleDto> {
    await loadContractInScope(this.dataSource.manager, actor, contractId);
    return this.show(actor, contractId, { withOutcome: true });
  }

  /**
   * The sample for the contract's archive bag (`sample.json`), disclosed as to `viewer`, or null
   * when none was drawn. The caller has already checked the contract is in the viewer's scope.
   */
  async sampleOf(viewer: Actor, contractId: string): Promise<AuditSampleDto | null> {
    const [drawn] = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM audit_sample WHERE contract_id = $1`,
      [contractId],
    );
    return drawn === undefined ? null : this.show(viewer, contractId, { withOutcome: true });
  }

  /** The sample as api.md shows it, with each row's visit and photos, and per task line S, O, max. */
  async show(
    viewer: Actor | null,
    contractId: string,
    options: { withOutcome: boolean },
  ): Promise<AuditSampleDto> {
    const found = await this.read(contractId);
    if (!found) throw notFound('Audit sample of contract', contractId);
    const { sample, rows, photos, acceptedAreas } = found;
    const dto: AuditSampleDto = {
      id: sample.id,
      seed: sample.seed,
      drawnAt: sample.drawn_at.toISOString(),
      ratePct: formatHundredths(sample.rate_basis_points),
      minPerVillage: sample.min_per_village,
      tolerancePct: formatHundredths(sample.tolerance_basis_points),
      chain: sample.chain,
      chainSeq: sample.chain_seq === null ? null : Number(sample.chain_seq),
      chainHash: sample.chain_hash,
      rows: rows.map((row) => ({
        rowId: row.register_row_id,
        row: row.row_no,
        taskCode: row.task_code,
        villageCode: row.village_code,
        householdName: row.household_name,
        householdIdNo: disclose(viewer, 'residentId', row.household_id_no),
        plotCode: row.plot_code,
        verifiedAreaMu: formatMu(row.verified_area),
        ...(options.withOutcome
          ? {
              visit:
                row.visit_id === null
                  ? null
                  : {
                      id: row.visit_id,
                      visitedOn: row.visited_on as string,
                      method: row.method as VisitMethod,
                      householdConfirms: row.household_confirms as boolean,
                      observedAreaMu: formatMu(row.observed_area ?? 0),
                      satisfaction: row.satisfaction,
                      note: row.note,
                      photos: photos
                        .filter((photo) => photo.visit_id === row.visit_id)
                        .map((photo) => ({
                          id: photo.id,
                          sha256: photo.sha256,
                          ...(photo.taken_at ? { takenAt: photo.taken_at.toISOString() } : {}),
                          ...(photo.latitude !== null ? { latitude: Number(photo.latitude) } : {}),
                          ...(photo.longitude !== null
                            ? { longitude: Number(photo.longitude) }
                            : {}),
                        })),
                    },
            }
          : {}),
      })),
    };
    if (options.withOutcome) {
      dto.taskLines = sampleTaskLines(rows, acceptedAreas, sample.tolerance_basis_points);
    }
    return dto;
  }

  /** The stored sample of a contract with its rows, visits and photos; null without one. */
  read(contractId: string, manager: EntityManager = this.dataSource.manager) {
    return readAuditSample(manager, contractId);
  }
}

/** Per accepted task line: S, O (visited rows), the shortfall and, once all are visited, the maximum. */
export function sampleTaskLines(
  rows: readonly Pick<SampleRowRecord, 'task_code' | 'verified_area' | 'observed_area'>[],
  acceptedAreas: ReadonlyMap<string, number>,
  toleranceBasisPoints: number,
): SampleTaskLineDto[] {
  return [...acceptedAreas.keys()].sort().map((taskCode) => {
    const of = rows.filter((row) => row.task_code === taskCode);
    const visited = of.filter((row) => row.observed_area !== null);
    const sampled = of.reduce((total, row) => total + row.verified_area, 0);
    const visitedSampled = visited.reduce((total, row) => total + row.verified_area, 0);
    const observed = visited.reduce((total, row) => total + (row.observed_area ?? 0), 0);
    const complete = visited.length === of.length;
    return {
      taskCode,
      sampledAreaMu: formatMu(sampled),
      observedAreaMu: formatMu(observed),
      shortfallPct: formatHundredths(shortfallBasisPoints(visitedSampled, observed)),
      maxAuditedAreaMu: complete
        ? formatMu(
            maxAuditedArea({
              sampledArea: sampled,
              observedArea: observed,
              acceptedArea: acceptedAreas.get(taskCode) ?? 0,
              toleranceBasisPoints,
            }),
          )
        : null,
    };
  });
}

/** The stored sample of a contract with its rows, visits and photos; null without one. */
export async function readAuditSample(manager: EntityManager, contractId: string) {
  const [sample] = await manager.query<SampleRecord[]>(
    `SELECT * FROM audit_sample WHERE contract_id = $1`,
    [contractId],
  );
  if (!sample) return null;
  const rows = await manager.query<SampleRowRecord[]>(
    `SELECT s.register_row_id, s.row_no, s.task_code, s.village_code, s.verified_area,
            r.household_name, r.household_id_no, r.plot_code,
            v.id AS visit_id, to_char(v.visited_on, 'YYYY-MM-DD') AS visited_on, v.method,
            v.household_confirms, v.observed_area, v.satisfaction, v.note
       FROM audit_sample_row s
       JOIN register_row r ON r.id = s.register_row_id
       LEFT JOIN audit_visit v ON v.sample_id = s.sample_id AND v.register_row_id = s.register_row_id
      WHERE s.sample_id = $1
      ORDER BY s.position`,
    [sample.id],
  );
  const photos = await manager.query<PhotoRecord[]>(
    `SELECT p.id, p.visit_id, p.sha256, p.taken_at, p.latitude, p.longitude
       FROM audit_visit_photo p JOIN audit_visit v ON v.id = p.visit_id
      WHERE v.sample_id = $1 ORDER BY p.created_at, p.id`,
    [sample.id],
  );
  const lines = await manager.query<{ task_code: string; accepted_area: number | null }[]>(
    `SELECT task_code, accepted_area FROM contract_task_line
      WHERE contract_id = $1 AND state = ANY($2)`,
    [contractId, SAMPLED_TASK_LINE_STATES],
  );
  const acceptedAreas = new Map(lines.map((line) => [line.task_code, line.accepted_area ?? 0]));
  return { sample, rows, photos, acceptedAreas };
}
