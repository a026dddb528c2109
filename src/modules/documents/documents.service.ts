import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { DataSource, In } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { shanghaiDateTime } from '../../common/clock/shanghai-date';
import { notFound } from '../../common/errors/domain-error';
import { canonicalJson } from '../../common/values/canonical-json';
import { AuditLogService } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { CalculationService } from '../contracts/calculation.service';
import { ContractsService } from '../contracts/contracts.service';
import type { ContractDto } from '../contracts/dto/contract.dto';

import { Organisation } from '../organisations/organisation.entity';

import { Project } from '../projects/project.entity';
import { Region } from '../regions/region.entity';

import { unknownDocumentKind } from './documents.errors';
import { IssuedDocument } from './issued-document.entity';
import { PdfForm } from './pdf-form';
import { qrPng as qrPngOf } from './qr-png';
import type { FormDescription } from './forms/form-context';
import { FORMS } from './forms/forms';

export const DOCUMENT_KINDS = [
  'award-notice',
  'application',
  'register',
  'village-notice',
  'acceptance',
  'audit',
  'media-notice',
  'payout-order',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

const TITLES: Record<DocumentKind, string> = {
  'award-notice': '中标通知书',
  application: '奖补资金申请表',
  register: '落实到户清册',
  'village-notice': '公示',
  acceptance: '验收表',
  audit: '审核验收表',
  'media-notice': '媒体公示',
  'payout-order': '拨付单',
};

export interface PreparedDocument {
  kind: DocumentKind;
  title: string;
  fileName: string;
  sha256: string;
  render: (output: Writable) => Promise<number>;
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
  ) {}

  async prepare(
    actor: Actor,
    contractId: string,
    kind: string,
    query: { taskCode?: string; villageCode?: string },
    baseUrl: string,
  ): Promise<PreparedDocument> {
    if (!(DOCUMENT_KINDS as readonly string[]).includes(kind)) throw unknownDocumentKind(kind);
    const documentKind = kind as DocumentKind;
    const contract = await this.contracts.get(actor, contractId); // 404 outside the caller's scope
    const { content, draw } = await this.describe(actor, contract, documentKind, query, baseUrl);
    const generatedAt = this.clock.now();
    const sha256 = createHash('sha256')
      .update(canonicalJson({ kind, contractId, generatedAt, content }))
      .digest('hex');
    const subject = typeof content.subject === 'string' ? content.subject : contract.lotCode;
    const title = `${TITLES[documentKind]}（${subject}）`;
    const auditHead = await this.auditLog.contractChainHead(contractId);
    await this.dataSource.getRepository(IssuedDocument).insert({
      sha256,
      contractId,
      kind,
      title,
      generatedAt,
      generatedBy: actor.username,
      auditChain: auditHead?.chain ?? null,
      auditSeq: auditHead?.seq ?? null,
      auditHash: auditHead?.hash ?? null,
    });
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
      kind: documentKind,
      title,
      fileName: `${kind}-${contractId.slice(0, 8)}.pdf`,
      sha256,
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
