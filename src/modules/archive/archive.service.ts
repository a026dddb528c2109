import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable, type Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { shanghaiDate } from '../../common/clock/shanghai-date';
import { DomainError } from '../../common/errors/domain-error';
import { formatMu } from '../../common/values/decimal-units';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import type { Actor } from '../auth/actor';
import { disclose } from '../auth/disclosure-policy';
import { CalculationService } from '../contracts/calculation.service';
import { ContractsService } from '../contracts/contracts.service';
import type { ContractDto } from '../contracts/dto/contract.dto';
import { DocumentsService } from '../documents/documents.service';
import { FileStore } from '../field-work/file-store';
import { ProjectSummaryService } from '../projects/project-summary.service';
import { ProjectsService } from '../projects/projects.service';
import { BidsService } from '../tenders/bids.service';
import { TendersService } from '../tenders/tenders.service';
import { BagWriter, safeName } from './bag-writer';

/** A bag ready to stream: the scope was checked before a byte is sent. */
export interface PreparedBag {
  fileName: string;
  write: (output: Writable) => Promise<void>;
}

/**
 * What `sample.json` holds for a contract (the district audit by sample), or null when there is
 * none. The archive module binds it to the audit sample's service (archive.module.ts).
 */
export const ARCHIVE_SAMPLE_SOURCE = Symbol('ARCHIVE_SAMPLE_SOURCE');
export interface ArchiveSampleSource {
  sampleOf(actor: Actor, contractId: string): Promise<unknown>;
}

const PAGE = 1000;

/** register.csv: the Chinese headers of the register's import, then the row's place and state. */
const REGISTER_HEADER = [
  '行号',
  '村代码',
  '农户姓名',
  '身份证号',
  '地块编号',
  '作业环节',
  '面积(亩)',
  '核实面积(亩)',
  '作业日期',
  '机械牌号',
  '机手',
  '镇包村干部签字',
  '村干部签字',
  '机手签字',
  '农户签字',
  '状态',
];

/**
 * The season's file (归档): a contract's or a project's papers as a BagIt bag, streamed as ZIP.
 * Documents are the stable issues (issued now when the state allows one never issued), files come
 * from the file store, rows from the database a page at a time; what the bag discloses is what
 * the caller may see (the services it reads through apply the one disclosure policy).
 */
@Injectable()
export class ArchiveService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly contracts: ContractsService,
    private readonly calculation: CalculationService,
    private readonly documents: DocumentsService,
    private readonly projects: ProjectsService,
    private readonly summaries: ProjectSummaryService,
    private readonly tenders: TendersService,
    private readonly bids: BidsService,
    private readonly files: FileStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    @Inject(ARCHIVE_SAMPLE_SOURCE)
    private readonly samples: ArchiveSampleSource,
  ) {}

  async contractBag(actor: Actor, contractId: string): Promise<PreparedBag> {
    const contract = await this.contracts.get(actor, contractId); // 404 outside the scope
    const name = contractFolder(contract);
    const districtCode = await this.districtOf(contractId);
    return {
      fileName: `${name}.zip`,
      write: (output) =>
        this.writeBag(
          name,
          output,
          contract.contractNo ?? contract.id,
          districtCode,
          async (bag) => {
            await this.contractPayload(bag, actor, contract, '');
          },
        ),
    };
  }

  async projectBag(actor: Actor, projectId: string): Promise<PreparedBag> {
    const project = await this.projects.get(actor, projectId); // 404 outside the scope
    const name = safeName(project.code);
    return {
      fileName: `${name}.zip`,
      write: (output) =>
        this.writeBag(name, output, project.code, project.districtCode, async (bag) => {
          await bag.addJson('project.json', project);
          await bag.addJson('summary.json', await this.summaries.summary(actor, projectId));
          const tenders = [];
          for (let offset = 0; ; offset += 100) {
            const page = await this.tenders.listForProject(actor, projectId, {
              limit: 100,
              offset,
            });
            for (const tender of page.items) {
              const bids = await this.bids.list(actor, tender.id).then(
                (list) => list.items,
                (error: unknown) => {
                  if (error instanceof DomainError && error.code === 'BIDS_SEALED') return null;
                  throw error;
                },
              );
              tenders.push({ ...tender, bids });
            }
            if (page.items.length < 100) break;
          }
          await bag.addJson('tenders.json', tenders);
          await bag.addJson(
            'audit-events.json',
            await this.auditEvents(project.districtCode, [
              ['project', [projectId]],
              ['tender', tenders.map((tender) => tender.id)],
            ]),
          );
          const seen = new Set<string>();
          for await (const id of this.contractIds(projectId)) {
            const contract = await this.contracts.get(actor, id);
            let folder = contractFolder(contract);
            for (let n = 2; seen.has(folder); n += 1) folder = `${contractFolder(contract)}-${n}`;
            seen.add(folder);
            await this.contractPayload(bag, actor, contract, `${folder}/`);
          }
        }),
    };
  }

  private async writeBag(
    name: string,
    output: Writable,
    externalIdentifier: string,
    districtCode: string,
    payload: (bag: BagWriter) => Promise<void>,
  ): Promise<void> {
    const bag = new BagWriter(name, output);
    try {
      const [district] = await this.dataSource.query<{ name: string }[]>(
        `SELECT name FROM region WHERE code = $1`,
        [districtCode],
      );
      await payload(bag);
      await bag.finish(
        {
          'Source-Organization': district ? `${district.name}农业农村委员会` : '区农业农村委员会',
          'External-Identifier': externalIdentifier,
          'External-Description': '农业生产社会化服务补助 归档',
        },
        shanghaiDate(this.clock.now()),
      );
    } catch (error) {
      bag.abort();
      output.destroy(error as Error);
      throw error;
    }
  }

  private async contractPayload(
    bag: BagWriter,
    actor: Actor,
    contract: ContractDto,
    prefix: string,
  ): Promise<void> {
    const baseUrl = this.config.publicBaseUrl;
    // The documents the contract has now (the desk's list too); each is the kept issue.
    for (const document of await this.documents.available(contract)) {
      const { kind, taskCode, villageCode } = document;
      const file =
        kind === 'village-notice'
          ? `village-notice-${safeName(taskCode!)}-${safeName(villageCode!)}.pdf`
          : kind === 'acceptance'
            ? `acceptance-${safeName(taskCode!)}.pdf`
            : `${kind}.pdf`;
      const issued = await this.documents.issue(
        actor,
        contract.id,
        kind,
        { taskCode, villageCode },
        baseUrl,
      );
      await bag.addPayload(`${prefix}documents/${file}`, this.files.open(issued.fileSha256));
    }

    const attachments = await this.dataSource.query<
      { kind: string; sha256: string; file_name: string }[]
    >(
      `SELECT kind, sha256, file_name FROM attachment WHERE contract_id = $1 ORDER BY created_at, id`,
      [contract.id],
    );
    for (const [index, attachment] of attachments.entries())
      await bag.addPayload(
        `${prefix}attachments/${String(index + 1).padStart(2, '0')}-${safeName(attachment.kind)}-${safeName(attachment.file_name)}`,
        this.files.open(attachment.sha256),
      );

    await bag.addPayload(
      `${prefix}register.csv`,
      Readable.from(this.registerCsv(actor, contract.id)),
    );
    await bag.addJson(`${prefix}history.json`, await this.contracts.history(actor, contract.id));
    await bag.addJson(
      `${prefix}calculation.json`,
      await this.calculation.sheet(actor, contract.id),
    );
    const districtCode = await this.districtOf(contract.id);
    await bag.addJson(
      `${prefix}audit-events.json`,
      await this.auditEvents(districtCode, [['contract', [contract.id]]]),
    );
    const sample = await this.samples.sampleOf(actor, contract.id);
    if (sample !== null) await bag.addJson(`${prefix}sample.json`, sample);
  }

  /** The register as CSV (UTF-8 with BOM, Chinese headers), a page of rows at a time. */
  private async *registerCsv(actor: Actor, contractId: string): AsyncGenerator<Buffer> {
    yield Buffer.from(`\uFEFF${REGISTER_HEADER.map(csvCell).join(',')}\r\n`);
    let after: [string, number, string] | null = null;
    for (;;) {
      const rows: RegisterCsvRow[] = await this.dataSource.query(
        `SELECT id, task_code, row_no, village_code, household_name, household_id_no, plot_code,
                area, verified_area, work_date::text AS work_date, machine_no, operator_name,
                town_cadre_signed, village_cadre_signed, operator_signed, farmer_signed, state
           FROM register_row
          WHERE contract_id = $1 ${after ? 'AND (task_code, row_no, id) > ($2, $3, $4)' : ''}
          ORDER BY task_code, row_no, id LIMIT ${PAGE}`,
        after ? [contractId, ...after] : [contractId],
      );
      if (rows.length === 0) return;
      yield Buffer.from(
        rows
          .map(
            (row) =>
              `${[
                String(row.row_no),
                row.village_code,
                row.household_name,
                disclose(actor, 'residentId', row.household_id_no),
                row.plot_code,
                row.task_code,
                formatMu(row.area),
                row.verified_area === null ? '' : formatMu(row.verified_area),
                row.work_date,
                row.machine_no,
                row.operator_name,
                row.town_cadre_signed,
                row.village_cadre_signed,
                row.operator_signed,
                row.farmer_signed,
                row.state,
              ]
                .map(csvCell)
                .join(',')}\r\n`,
          )
          .join(''),
      );
      const last = rows[rows.length - 1];
      after = [last.task_code, last.row_no, last.id];
      if (rows.length < PAGE) return;
    }
  }

  /**
   * The audit-log events about these objects, with their chain links (body digest, previous hash,
   * hash), and the chain's head at archiving: enough to recompute every link from the file alone
   * and to check the head later against the log.
   */
  private async auditEvents(
    chain: string,
    objects: [entityType: string, ids: string[]][],
  ): Promise<unknown> {
    const events: unknown[] = [];
    for (const [entityType, ids] of objects) {
      if (ids.length === 0) continue;
      let after = 0;
      for (;;) {
        const rows = await this.dataSource.query<AuditRow[]>(
          `SELECT chain, seq::int AS seq, at, actor_id, actor_username, action, entity_type, entity_id,
                  data, body_sha256, prev_hash, hash
             FROM audit_event
            WHERE chain = $1 AND entity_type = $2 AND entity_id = ANY($3) AND seq > $4
            ORDER BY seq LIMIT ${PAGE}`,
          [chain, entityType, ids, after],
        );
        for (const row of rows)
          events.push({
            chain: row.chain,
            seq: row.seq,
            at: row.at.toISOString(),
            actorId: row.actor_id,
            actorUsername: row.actor_username,
            action: row.action,
            entityType: row.entity_type,
            entityId: row.entity_id,
            data: row.data,
            bodySha256: row.body_sha256,
            prevHash: row.prev_hash,
            hash: row.hash,
          });
        if (rows.length < PAGE) break;
        after = rows[rows.length - 1].seq;
      }
    }
    events.sort((a, b) => (a as AuditRow).seq - (b as AuditRow).seq);
    const [head] = await this.dataSource.query<{ seq: number; hash: string }[]>(
      `SELECT seq::int AS seq, hash FROM audit_event WHERE chain = $1 AND seq IS NOT NULL
        ORDER BY seq DESC LIMIT 1`,
      [chain],
    );
    return {
      hashing:
        'bodySha256 = SHA-256 of the canonical JSON (keys sorted, no spaces) of {at, actorId, actorUsername, action, entityType, entityId, data}; hash = SHA-256 of "<prevHash>\\n<seq>\\n<bodySha256>"',
      chain,
      headAtArchiving: head ? { chain, seq: head.seq, hash: head.hash } : null,
      events,
    };
  }

  private async districtOf(contractId: string): Promise<string> {
    const [{ district_code: districtCode }] = await this.dataSource.query<
      { district_code: string }[]
    >(`SELECT district_code FROM contract WHERE id = $1`, [contractId]);
    return districtCode;
  }

  private async *contractIds(projectId: string): AsyncGenerator<string> {
    let after: [string, string] | null = null;
    for (;;) {
      const rows: { id: string; no: string }[] = await this.dataSource.query(
        `SELECT id, coalesce(contract_no, '') AS no FROM contract
          WHERE project_id = $1 ${after ? `AND (coalesce(contract_no, ''), id) > ($2, $3)` : ''}
          ORDER BY coalesce(contract_no, ''), id LIMIT 100`,
        after ? [projectId, ...after] : [projectId],
      );
      for (const row of rows) yield row.id;
      if (rows.length < 100) return;
      const last = rows[rows.length - 1];
      after = [last.no, last.id];
    }
  }
}

interface RegisterCsvRow {
  id: string;
  task_code: string;
  row_no: number;
  village_code: string;
  household_name: string;
  household_id_no: string;
  plot_code: string;
  area: number;
  verified_area: number | null;
  work_date: string;
  machine_no: string;
  operator_name: string;
  town_cadre_signed: string;
  village_cadre_signed: string;
  operator_signed: string;
  farmer_signed: string;
  state: string;
}

interface AuditRow {
  chain: string;
  seq: number;
  at: Date;
  actor_id: string | null;
  actor_username: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  data: Record<string, unknown>;
  body_sha256: string;
  prev_hash: string;
  hash: string;
}

/** A contract's folder and bag name: its contract number, or its lot and id before signing. */
function contractFolder(contract: ContractDto): string {
  return safeName(contract.contractNo ?? `${contract.lotCode}-${contract.id.slice(0, 8)}`);
}

/** A CSV cell: quoted when it holds a comma, a quote or a line break. */
function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
