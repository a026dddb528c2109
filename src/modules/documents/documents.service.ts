import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource, In } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { shanghaiDateTime } from '../../common/clock/shanghai-date';
import { notFound } from '../../common/errors/domain-error';
import { canonicalJson } from '../../common/values/canonical-json';
import { AuditLogService } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { seesInFull, type SensitiveKind } from '../auth/disclosure-policy';
import { CalculationService } from '../contracts/calculation.service';
import { ContractsService } from '../contracts/contracts.service';
import type { ContractDto } from '../contracts/dto/contract.dto';

import { Organisation } from '../organisations/organisation.entity';

import { Project } from '../projects/project.entity';
import { Region } from '../regions/region.entity';
import { FileStore } from '../field-work/file-store';

import { unknownDocumentKind } from './documents.errors';
import { IssuedDocument } from './issued-document.entity';
import { PdfForm } from './pdf-form';
import { qrPng as qrPngOf } from './qr-png';
import type { FormDescription } from './forms/form-context';
import { DOCUMENT_KINDS, type DocumentKind } from './document-kind';
import { FORMS } from './forms/forms';

export { DOCUMENT_KINDS, type DocumentKind };

const SENSITIVE_KINDS: SensitiveKind[] = ['bankAccount', 'residentId', 'phone'];

export const DOCUMENT_TITLES: Record<DocumentKind, string> = {
  'award-notice': '中标通知书',
  application: '奖补资金申请表',
  register: '落实到户清册',
  'village-notice': '公示',
  acceptance: '验收表',
  audit: '审核验收表',
  'media-notice': '媒体公示',
  'payout-order': '拨付单',
};

/** A document as issued and kept: its PDF is `fileSha256` in the file store. */
export interface IssuedFile {
  kind: DocumentKind;
  title: string;
  fileName: string;
  /** The digest printed in its footer (of its content, not of the file). */
  sha256: string;
  /** SHA-256 of the PDF file: its name in the file store. */
  fileSha256: string;
  size: number;
  generatedAt: Date;
}

export interface PreparedDocument {
  kind: DocumentKind;
  title: string;
  fileName: string;
  sha256: string;
  generatedAt: Date;
  auditHead: { chain: string; seq: number; hash: string } | null;
  render: (output: Writable) => Promise<number>;
}

async function renderToBuffer(render: (output: Writable) => Promise<number>): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  await render(output);
  return Buffer.concat(chunks);
}

/** Where `send` writes: an HTTP response (Express's, structurally). */
export type PdfResponse = NodeJS.WritableStream & {
  setHeader(name: string, value: string): unknown;
};

/** A document the contract has now, with the query that fetches it. */
export interface AvailableDocument {
  kind: DocumentKind;
  taskCode?: string;
  villageCode?: string;
}

/**
 * The official forms, from the engine's own data, in Chinese, on A4. Each is described by its
 * content; the SHA-256 of that content (with the kind, the contract and the time) is printed in
 * every page's footer, recorded, and answered by GET /public/documents/:sha256. ID numbers are
 * always masked.
 */
@Injectable()
export class DocumentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly contracts: ContractsService,
    private readonly calculation: CalculationService,
    private readonly clock: Clock,
    private readonly auditLog: AuditLogService,
    private readonly files: FileStore,
  ) {}

  /**
   * The document of this kind for the contract as it is now, issued once: the first request
   * renders, records and keeps it; every later one, while the contract (its version) and what the
   * reader may see of it (the content) are unchanged, gets the same stored PDF with the same
   * digest. Two first requests at once: one insert wins, both answer with the winner.
   */
  async issue(
    actor: Actor,
    contractId: string,
    kind: string,
    query: { taskCode?: string; villageCode?: string },
    baseUrl: string,
  ): Promise<IssuedFile> {
    if (!(DOCUMENT_KINDS as readonly string[]).includes(kind)) throw unknownDocumentKind(kind);
    const documentKind = kind as DocumentKind;
    const contract = await this.contracts.get(actor, contractId); // 404 outside the caller's scope
    const facts: Record<string, unknown> = {};
    const description = await this.describe(actor, contract, documentKind, query, baseUrl, facts);
    const options: Record<string, string> = {};
    if (query.taskCode !== undefined) options.taskCode = query.taskCode;
    if (query.villageCode !== undefined) options.villageCode = query.villageCode;
    // The forms' owner: finance of the contract's own district sees its bank account in full.
    const contractDistrict = (facts.project as { districtCode: string }).districtCode;
    const issueKey = createHash('sha256')
      .update(
        canonicalJson({
          kind,
          contractId,
          contractVersion: contract.version,
          options,
          baseUrl,
          // What the reader may see in full decides the drawing too (a masked bank account).
          disclosure: SENSITIVE_KINDS.map((sensitive) =>
            seesInFull(actor, sensitive, {
              organisationId: contract.organisationId,
              districtCodes: [contractDistrict],
            }),
          ),
          // What every form's head is drawn from: a change of the organisation's bank account
          // or name is a new issue even though the contract did not move.
          facts,
          content: description.content,
        }),
      )
      .digest('hex');
    const kept = await this.keptIssue(issueKey);
    if (kept) return kept;

    const prepared = await this.prepareDescribed(
      actor,
      contract,
      documentKind,
      description,
      baseUrl,
    );
    const pdf = await renderToBuffer(prepared.render);
    const fileSha256 = await this.files.put(pdf);
    const inserted = await this.dataSource.query<{ sha256: string }[]>(
      `INSERT INTO issued_document (sha256, contract_id, kind, title, generated_at, generated_by,
              audit_chain, audit_seq, audit_hash, issue_key, file_sha256, contract_version, options)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb)
       ON CONFLICT DO NOTHING RETURNING sha256`,
      [
        prepared.sha256,
        contractId,
        kind,
        prepared.title,
        prepared.generatedAt,
        actor.username,
        prepared.auditHead?.chain ?? null,
        prepared.auditHead?.seq ?? null,
        prepared.auditHead?.hash ?? null,
        issueKey,
        fileSha256,
        contract.version,
        JSON.stringify(options),
      ],
    );
    if (inserted.length === 0) {
      const winner = await this.keptIssue(issueKey);
      if (winner) return winner;
      throw new Error(`Document ${prepared.sha256} was neither inserted nor found`);
    }
    return {
      kind: documentKind,
      title: prepared.title,
      fileName: prepared.fileName,
      sha256: prepared.sha256,
      fileSha256,
      size: pdf.length,
      generatedAt: prepared.generatedAt,
    };
  }

  /**
   * Sends an issued document's kept PDF as an HTTP answer: its type, name, length and digest
   * (X-Document-Sha256), then the bytes from the file store. REST and the desk both answer so.
   */
  async send(issued: IssuedFile, response: PdfResponse): Promise<void> {
    response.setHeader('Content-Type', 'application/pdf');
    response.setHeader('Content-Disposition', `inline; filename="${issued.fileName}"`);
    response.setHeader('Content-Length', String(issued.size));
    response.setHeader('X-Document-Sha256', issued.sha256);
    await pipeline(this.files.open(issued.fileSha256), response);
  }

  private async keptIssue(issueKey: string): Promise<IssuedFile | null> {
    const row = await this.dataSource.getRepository(IssuedDocument).findOneBy({ issueKey });
    if (!row?.fileSha256) return null;
    const size = await this.files.size(row.fileSha256);
    return {
      kind: row.kind as DocumentKind,
      title: row.title,
      fileName: `${row.kind}-${row.contractId.slice(0, 8)}.pdf`,
      sha256: row.sha256,
      fileSha256: row.fileSha256,
      size,
      generatedAt: row.generatedAt,
    };
  }

  /**
   * The documents the contract has now, in the order of the process: what `issue` renders rather
   * than refusing with DOCUMENT_NOT_AVAILABLE. The forms decide the same from the same facts — a
   * village notice or an acceptance form for each notice and record there is, the application
   * once a line is claimed, the audit sheet once the subsidy is known, the media notice once it is
   * opened, the payout order once a payout is issued; `desk-documents.e2e` fetches every kind for
   * contracts at each stage and holds the two together. The desk's contract page links these,
   * and the archive's bag holds these.
   */
  async available(contract: ContractDto): Promise<AvailableDocument[]> {
    const [facts] = await this.dataSource.query<
      {
        village: { taskCode: string; villageCode: string }[];
        acceptance: string[];
        media: boolean;
        payout: boolean;
      }[]
    >(
      `SELECT
         (SELECT coalesce(json_agg(json_build_object('taskCode', task_code, 'villageCode', village_code)
                                   ORDER BY task_code, village_code), '[]')
            FROM (SELECT DISTINCT task_code, village_code FROM notice
                   WHERE contract_id = $1 AND kind = 'village') n) AS village,
         (SELECT coalesce(json_agg(task_code ORDER BY task_code), '[]')
            FROM (SELECT DISTINCT task_code FROM acceptance_record WHERE contract_id = $1) a) AS acceptance,
         EXISTS (SELECT 1 FROM notice WHERE contract_id = $1 AND kind = 'media') AS media,
         EXISTS (SELECT 1 FROM payout WHERE contract_id = $1
                    AND state IN ('issued', 'confirmed')) AS payout`,
      [contract.id],
    );
    const subsidyKnown = contract.subsidyFen !== null;
    return [
      { kind: 'award-notice' },
      { kind: 'register' },
      ...(contract.taskLines.some((line) => line.claimedAreaMu !== null)
        ? [{ kind: 'application' as const }]
        : []),
      ...facts.village.map((notice) => ({ kind: 'village-notice' as const, ...notice })),
      ...facts.acceptance.map((taskCode) => ({ kind: 'acceptance' as const, taskCode })),
      ...(subsidyKnown ? [{ kind: 'audit' as const }] : []),
      ...(subsidyKnown && facts.media ? [{ kind: 'media-notice' as const }] : []),
      ...(facts.payout ? [{ kind: 'payout-order' as const }] : []),
    ];
  }

  private async prepareDescribed(
    actor: Actor,
    contract: ContractDto,
    kind: DocumentKind,
    { content, draw }: FormDescription,
    baseUrl: string,
  ): Promise<PreparedDocument> {
    const contractId = contract.id;
    const generatedAt = this.clock.now();
    const sha256 = createHash('sha256')
      .update(canonicalJson({ kind, contractId, generatedAt, content }))
      .digest('hex');
    const subject = typeof content.subject === 'string' ? content.subject : contract.lotCode;
    const title = `${DOCUMENT_TITLES[kind]}（${subject}）`;
    const auditHead = await this.auditLog.contractChainHead(contractId);
    const verifyUrl = `${baseUrl}/public/documents/${sha256}`;
    const qrPng = qrPngOf(verifyUrl);
    const footer = {
      generatedAt: `${shanghaiDateTime(generatedAt)}（北京时间）`,
      sha256,
      verifyUrl,
      qrPng,
      auditHead,
    };
    return {
      kind,
      title,
      fileName: `${kind}-${contractId.slice(0, 8)}.pdf`,
      sha256,
      generatedAt,
      auditHead,
      render: (output) =>
        new Promise<number>((resolve, reject) => {
          output.once('error', reject);
          output.once('finish', () => resolve(form.pages));
          const form = new PdfForm(output, title, footer);
          Promise.resolve(draw(form)).then(() => form.end(), reject);
        }),
    };
  }

  async verify(sha256: string): Promise<{
    issued: true;
    kind: string;
    title: string;
    contractId: string;
    generatedAt: string;
  }> {
    const document = /^[0-9a-f]{64}$/.test(sha256)
      ? await this.dataSource.getRepository(IssuedDocument).findOneBy({ sha256 })
      : null;
    if (!document) throw notFound('Document', sha256);
    return {
      issued: true,
      kind: document.kind,
      title: document.title,
      contractId: document.contractId,
      generatedAt: document.generatedAt.toISOString(),
    };
  }

  /** What a document says (hashed) and how it is drawn. */
  private async describe(
    actor: Actor,
    contract: ContractDto,
    kind: DocumentKind,
    query: { taskCode?: string; villageCode?: string },
    baseUrl: string,
    facts: Record<string, unknown> = {},
  ): Promise<FormDescription> {
    const project = await this.dataSource
      .getRepository(Project)
      .findOneByOrFail({ id: contract.projectId });
    const organisation = await this.dataSource
      .getRepository(Organisation)
      .findOneByOrFail({ id: contract.organisationId });
    const villages = await this.dataSource
      .getRepository(Region)
      .findBy({ code: In(contract.villageCodes) });
    const villageName = (code: string): string =>
      villages.find((village) => village.code === code)?.name ?? code;
    const head: [string, string][] = [
      ['项目', `${project.name}（${project.code}）`],
      ['服务组织', organisation.name],
      [
        '合同',
        `${contract.contractNo ?? '（未签订）'}　标段 ${contract.lotCode}${contract.signedOn ? `　签订日期 ${contract.signedOn}` : ''}`,
      ],
    ];
    const district = await this.dataSource
      .getRepository(Region)
      .findOneBy({ code: project.districtCode });
    const districtName = district?.name ?? project.districtCode;
    Object.assign(facts, { project, organisation, villages, head, districtName });

    return FORMS[kind]({
      dataSource: this.dataSource,
      calculation: this.calculation,
      actor,
      contract,
      query,
      baseUrl,
      project,
      organisation,
      villages,
      villageName,
      head,
      districtName,
    });
  }
}
