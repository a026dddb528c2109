import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import QRCode from 'qrcode';
import { DataSource, In } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { shanghaiDate, shanghaiDateTime } from '../../common/clock/shanghai-date';
import { notFound } from '../../common/errors/domain-error';
import { canonicalJson } from '../../common/values/canonical-json';
import { formatMu, formatYuan, toHundredths } from '../../common/values/decimal-units';
import { amountFen } from '../../common/values/money';
import { AcceptanceRecord, AcceptanceSignature } from '../acceptance/acceptance-record.entity';
import { AuditLogService } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { CalculationService } from '../contracts/calculation.service';
import { ContractsService } from '../contracts/contracts.service';
import type { ContractDto } from '../contracts/dto/contract.dto';
import { Attachment } from '../field-work/attachment.entity';
import { RegisterRow } from '../field-work/register-row.entity';
import { disclose } from '../auth/disclosure-policy';
import { Notice } from '../notices/notice.entity';
import { Organisation } from '../organisations/organisation.entity';
import { Payout } from '../payouts/payout.entity';
import { Project } from '../projects/project.entity';
import { Region } from '../regions/region.entity';
import { Tender } from '../tenders/tender.entity';
import { toChineseCapital } from './chinese-amount';
import { documentNotAvailable, unknownDocumentKind } from './documents.errors';
import { IssuedDocument } from './issued-document.entity';
import { PdfForm } from './pdf-form';

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

const ROLE_NAMES: Record<string, string> = {
  technical_guidance: '技术指导组成员',
  township_leader: '乡镇分管负责人',
  station_head: '农业综合服务站长',
  farmer_supervisor: '农民监督员',
  agriculture: '区农委',
  finance: '区财政局',
};

const ATTACHMENT_NAMES: Record<string, string> = {
  legal_person_certificate: '法人代码证书（身份证）',
  contract_scan: '服务合同',
  register_scan: '签字清册',
  other: '其他材料',
};

/** [谯城区农业农村委员会, 项目审核]: the bureau of the district, and its part in the audit. */
function approverTitle(bureau: string | null, districtName: string): [string, string] {
  if (bureau === 'agriculture') return [`${districtName}农业农村委员会`, '项目审核'];
  if (bureau === 'finance') return [`${districtName}财政局`, '资金审核'];
  return [bureau ?? '', ''];
}

const yuan = (fen: number): string => `${formatYuan(fen)} 元`;
const money = (fen: number): string => `${yuan(fen)}（大写：${toChineseCapital(fen)}）`;

export interface PreparedDocument {
  kind: DocumentKind;
  title: string;
  fileName: string;
  sha256: string;
  render: (output: Writable) => Promise<number>;
}

type Draw = (form: PdfForm) => unknown;

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
    const qrPng = await QRCode.toBuffer(verifyUrl, { margin: 1, width: 160 });
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
  ): Promise<{ content: Record<string, unknown>; draw: Draw }> {
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

    switch (kind) {
      case 'award-notice': {
        const tender = await this.dataSource
          .getRepository(Tender)
          .findOneByOrFail({ id: contract.tenderId });
        const lines = contract.taskLines.map((line) => [
          line.taskName,
          `${line.unitPriceYuan} 元/亩`,
          `${line.assignedAreaMu} 亩`,
        ]);
        const content = {
          subject: organisation.name,
          project: project.code,
          lines,
          deadline: contract.workDeadline,
          awardedOn: contract.awardedOn,
        };
        return {
          content,
          draw: (form) =>
            form
              .title('中标通知书', project.name)
              .paragraph(
                `${organisation.name}：\n　　你单位在${tender.publishedIn}（${tender.publishedOn}）发布、${tender.openingOn}公开开标的${project.name}招标中，经专家评审，被确定为标段 ${contract.lotCode}（${contract.villageCodes.map(villageName).join('、')}）的中标服务组织。请按下列作业环节、单价和面积，于 ${contract.workDeadline} 前完成作业服务，并及时签订服务合同。`,
              )
              .table(
                [
                  { header: '作业环节', width: 200 },
                  { header: '中标单价', width: 150, align: 'right' },
                  { header: '作业面积', width: 149, align: 'right' },
                ],
                lines,
              )
              .fields([
                ['统一社会信用代码', organisation.creditCode],
                ['作业完成期限', contract.workDeadline],
                ['中标日期', contract.awardedOn],
              ])
              .signatureBoxes(['招标人（区农委）', '区财政局']),
        };
      }
      case 'application': {
        const claimed = contract.taskLines.filter((line) => line.claimedAreaMu !== null);
        if (claimed.length === 0)
          throw documentNotAvailable(
            'The application form lists claimed task lines; none is claimed yet',
          );
        const attachments = await this.dataSource
          .getRepository(Attachment)
          .find({ where: { contractId: contract.id }, order: { createdAt: 'ASC' } });
        const claimedFen = (line: (typeof claimed)[number]): number =>
          amountFen(toHundredths(line.claimedAreaMu) as number, line.unitPriceFen);
        const lines = claimed.map((line) => [
          line.taskName,
          `${line.claimedAreaMu} 亩`,
          `${line.unitPriceYuan} 元/亩`,
          yuan(claimedFen(line)),
        ]);
        const total = claimed.reduce((sum, line) => sum + claimedFen(line), 0);
        // A PDF is a disclosure like any response: the reader's role decides, not the form.
        const accountNo = disclose(actor, 'bankAccount', organisation.bankAccountNo, {
          organisationId: organisation.id,
        });
        const content = {
          subject: organisation.name,
          lines,
          total,
          attachments: attachments.map((a) => [a.kind, a.sha256]),
        };
        return {
          content,
          draw: (form) => {
            for (const [index, copy] of ['第一联', '第二联', '第三联'].entries()) {
              if (index > 0) form.newPage();
              form
                .title(
                  '奖补资金申请表',
                  `${copy}（${['区农委留存', '区财政局留存', '服务组织留存'][index]}）`,
                )
                .fields([
                  ...head,
                  ['统一社会信用代码', organisation.creditCode],
                  ['法定代表人', organisation.legalRepresentative],
                  ['开户银行', organisation.bankName],
                  ['户名 / 账号', `${organisation.bankAccountName}　${accountNo}`],
                ])
                .table(
                  [
                    { header: '作业环节', width: 150 },
                    { header: '申报面积', width: 110, align: 'right' },
                    { header: '单价', width: 110, align: 'right' },
                    { header: '申请金额', width: 129, align: 'right' },
                  ],
                  [...lines, ['合计', '', '', yuan(total)]],
                )
                .paragraph(`申请金额合计：${money(total)}`)
                .heading('附件')
                .table(
                  [
                    { header: '材料', width: 140 },
                    { header: 'SHA-256', width: 359 },
                  ],
                  attachments.map((attachment) => [
                    ATTACHMENT_NAMES[attachment.kind] ?? attachment.kind,
                    attachment.sha256,
                  ]),
                )
                .signatureBoxes(['服务组织（盖章）', '村核实', '镇验收', '区审核']);
            }
          },
        };
      }
      case 'register': {
        const where = {
          contractId: contract.id,
          state: In(['working', 'claimed']),
          ...(query.taskCode ? { taskCode: query.taskCode } : {}),
        };
        const rows = await this.dataSource
          .getRepository(RegisterRow)
          .find({ where, order: { taskCode: 'ASC', villageCode: 'ASC', rowNo: 'ASC' } });
        const taskNames = new Map(contract.taskLines.map((line) => [line.taskCode, line.taskName]));
        // A past season is typed in years later: the year of the work is always printed.
        const years = [...new Set(rows.map((row) => row.workDate.slice(0, 4)))];
        const oneYear = years.length === 1;
        const table: string[][] = [];
        let group = '';
        let subtotal = 0;
        let count = 0;
        const closeGroup = (): void => {
          if (group)
            table.push(['', `小计（${count} 户）`, '', '', formatMu(subtotal), '', '', '', '', '']);
        };
        for (const row of rows) {
          const key = `${row.taskCode}/${row.villageCode}`;
          if (key !== group) {
            closeGroup();
            group = key;
            subtotal = 0;
            count = 0;
            table.push([
              `${villageName(row.villageCode)} · ${taskNames.get(row.taskCode) ?? row.taskCode}`,
            ]);
          }
          subtotal += row.area;
          count += 1;
          table.push([
            String(row.rowNo),
            row.householdName,
            // A register is posted and handed around: as public as a notice.
            disclose(null, 'residentId', row.householdIdNo),
            row.plotCode,
            formatMu(row.area),
            oneYear ? row.workDate.slice(5) : row.workDate,
            row.townCadreSigned ? '✓' : '',
            row.villageCadreSigned ? '✓' : '',
            row.operatorSigned ? '✓' : '',
            row.farmerSigned ? '✓' : '',
          ]);
        }
        closeGroup();
        const content = {
          subject: query.taskCode ? taskNames.get(query.taskCode) : '全部环节',
          rows: rows.map((row) => [row.id, row.area, row.state]),
        };
        return {
          content,
          draw: async (form) => {
            form.title(
              '落实到户清册',
              `${project.name}　${organisation.name}　${years.join('、')}年作业`,
            );
            await form.longTable(
              [
                { header: '行', width: 34, align: 'right' },
                { header: '农户姓名', width: 64 },
                { header: '身份证号', width: oneYear ? 104 : 88 },
                { header: '地块编号', width: 70 },
                { header: '面积(亩)', width: 55, align: 'right' },
                { header: '日期', width: oneYear ? 40 : 56 },
                { header: '镇干部', width: 33, align: 'center' },
                { header: '村干部', width: 33, align: 'center' },
                { header: '机手', width: 33, align: 'center' },
                { header: '农户', width: 33, align: 'center' },
              ],
              table,
              {
                emphasise: (row) => row.length > 1 && row[1].startsWith('小计'),
              },
            );
            form.signatureBoxes(['服务组织', '镇包村干部', '村干部']);
          },
        };
      }
      case 'village-notice': {
        const notice = await this.dataSource.getRepository(Notice).findOne({
          where: {
            contractId: contract.id,
            kind: 'village',
            ...(query.taskCode ? { taskCode: query.taskCode } : {}),
            ...(query.villageCode ? { villageCode: query.villageCode } : {}),
          },
          order: { openedAt: 'DESC' },
        });
        if (!notice)
          throw documentNotAvailable(
            'No village notice of this task line and village yet: the village verifies first',
          );
        const rows = await this.dataSource.getRepository(RegisterRow).find({
          where: {
            contractId: contract.id,
            taskCode: notice.taskCode as string,
            villageCode: notice.villageCode as string,
            state: 'claimed',
          },
          order: { rowNo: 'ASC' },
        });
        const noticeUrl = `${baseUrl}/board/notices/${notice.id}`; // the villagers' HTML page
        const noticeQr = await QRCode.toBuffer(noticeUrl, { margin: 1, width: 200 });
        const table = rows.map((row) => [
          row.householdName,
          disclose(null, 'residentId', row.householdIdNo),
          row.plotCode,
          formatMu(row.verifiedArea ?? row.area),
        ]);
        const content = { subject: notice.title, noticeId: notice.id, table };
        return {
          content,
          draw: (form) =>
            form
              .title('公示', notice.title)
              .fields([
                ...head,
                [
                  '公示期',
                  `${shanghaiDate(notice.openedAt)} 至 ${shanghaiDate(notice.endsAt)}（7 天）`,
                ],
              ])
              .table(
                [
                  { header: '农户', width: 100 },
                  { header: '身份证号', width: 150 },
                  { header: '地块编号', width: 130 },
                  { header: '核实面积(亩)', width: 119, align: 'right' },
                ],
                table,
              )
              .paragraph(
                '如有异议，请于公示期内向村核实小组反映，或扫描下方二维码在网上公示页面提出异议（姓名、电话、异议内容）。扫描页脚二维码可核验本公示的真实性。',
              )
              .qrCode(noticeQr, `网上公示与异议：\n${noticeUrl}`)
              .signatureBoxes(['村民委员会（盖章）']),
        };
      }
      case 'acceptance': {
        const record = await this.dataSource.getRepository(AcceptanceRecord).findOne({
          where: {
            contractId: contract.id,
            ...(query.taskCode ? { taskCode: query.taskCode } : {}),
          },
          order: { createdAt: 'DESC' },
        });
        if (!record) throw documentNotAvailable('No acceptance record for this task line yet');
        const signatures = await this.dataSource
          .getRepository(AcceptanceSignature)
          .find({ where: { recordId: record.id }, order: { signedAt: 'ASC' } });
        const line = contract.taskLines.find((candidate) => candidate.taskCode === record.taskCode);
        const townCode = villages.find((village) => village.townCode)?.townCode ?? null;
        const town = townCode
          ? await this.dataSource.getRepository(Region).findOneBy({ code: townCode })
          : null;
        // 验收小组: the town's key-technology acceptance group, as the report names it.
        const group = `${town?.name ?? townCode ?? ''}关键技术落实验收小组`;
        const villagesTable = record.villages.map((village) => {
          const part = line?.villageParts.find(
            (candidate) => candidate.villageCode === village.villageCode,
          );
          return [
            villageName(village.villageCode),
            `${part?.verifiedAreaMu ?? ''}`,
            formatMu(village.acceptedArea),
          ];
        });
        const signers = signatures.map((s) => [
          s.displayName,
          ROLE_NAMES[s.acceptanceRole] ?? s.acceptanceRole,
          s.decision === 'pass' ? '通过' : '不通过',
          shanghaiDateTime(s.signedAt),
        ]);
        const content = {
          subject: line?.taskName ?? record.taskCode,
          recordId: record.id,
          revision: record.revision,
          group,
          villagesTable,
          signers,
        };
        return {
          content,
          draw: (form) =>
            form
              .title(
                '验收表',
                `${line?.taskName ?? record.taskCode}　第 ${record.revision} 版　${record.state === 'complete' ? '验收通过' : record.state}`,
              )
              .fields([...head, ['验收小组', group]])
              .table(
                [
                  { header: '村', width: 200 },
                  { header: '核实面积(亩)', width: 150, align: 'right' },
                  { header: '验收面积(亩)', width: 149, align: 'right' },
                ],
                villagesTable,
              )
              .heading(`${group}签字（不少于 5 人）`)
              .table(
                [
                  { header: '姓名', width: 120 },
                  { header: '职责', width: 130 },
                  { header: '结论', width: 70 },
                  { header: '签字时间（北京时间）', width: 179 },
                ],
                signers,
              ),
        };
      }
      case 'audit': {
        const subsidy = contract.subsidyFen;
        if (subsidy === null)
          throw documentNotAvailable(
            `The audit sheet is issued once both bureaus approved; the contract is ${contract.state}`,
          );
        const sheet = await this.calculation.sheet(actor, contract.id);
        const table = sheet.taskLines.flatMap((line) => [
          [
            line.taskName,
            '',
            line.claimedAreaMu ?? '',
            line.verifiedAreaMu ?? '',
            line.acceptedAreaMu ?? '',
            line.auditedAreaMu ?? '',
            line.unitPriceYuan,
            line.amountYuan ?? '',
          ],
          ...line.villages.map((village) => [
            '',
            villageName(village.villageCode),
            village.claimedAreaMu,
            village.verifiedAreaMu ?? '',
            village.acceptedAreaMu ?? '',
            '',
            '',
            '',
          ]),
        ]);
        // Each opinion in full, wrapped: an approver's bureau and part, name, date and note.
        const approvers: [string, string][] = sheet.signers
          .filter((signer) => signer.stage === 'district audit')
          .map((signer) => {
            const [unit, part] = approverTitle(signer.role, districtName);
            const note = signer.note ? `　意见：${signer.note}` : '　意见：同意';
            return [
              part,
              `${unit}　审核人 ${signer.name}　${shanghaiDate(new Date(signer.at))}${note}`,
            ];
          });
        const rejections = await this.dataSource.query<
          { actor_username: string; display_name: string | null; at: Date; note: string | null }[]
        >(
          `SELECT h.actor_username, u.display_name, h.at, h.payload->>'note' AS note
             FROM contract_history h LEFT JOIN app_user u ON u.id = h.actor_id
            WHERE h.contract_id = $1 AND h.event = 'audit.rejected' ORDER BY h.seq`,
          [contract.id],
        );
        const rejected: [string, string][] = rejections.map((rejection) => [
          '退回',
          `审核人 ${rejection.display_name ?? rejection.actor_username}　${shanghaiDate(rejection.at)}　意见：${rejection.note ?? ''}`,
        ]);
        const content = {
          subject: organisation.name,
          table,
          subsidyFen: subsidy,
          approvers,
          rejected,
        };
        return {
          content,
          draw: (form) =>
            form
              .title('审核验收表', project.name)
              .fields(head)
              .table(
                [
                  { header: '环节', width: 70 },
                  { header: '村', width: 55 },
                  { header: '申报(亩)', width: 60, align: 'right' },
                  { header: '核实(亩)', width: 60, align: 'right' },
                  { header: '验收(亩)', width: 60, align: 'right' },
                  { header: '审核(亩)', width: 60, align: 'right' },
                  { header: '单价(元)', width: 50, align: 'right' },
                  { header: '金额(元)', width: 84, align: 'right' },
                ],
                [...table, ['合计', '', '', '', '', '', '', formatYuan(subsidy)]],
              )
              .paragraph(
                `补助金额：${money(subsidy)}。补助金额 = 审核面积 × 中标单价，按环节合计四舍五入到分。`,
              )
              .heading('审核意见')
              .fields([...rejected, ...approvers])
              .signatureBoxes(['区农委（盖章）', '区财政局（盖章）']),
        };
      }
      case 'media-notice': {
        const notice = await this.dataSource.getRepository(Notice).findOne({
          where: { contractId: contract.id, kind: 'media' },
          order: { openedAt: 'DESC' },
        });
        const subsidy = contract.subsidyFen;
        if (!notice || subsidy === null)
          throw documentNotAvailable(
            'The media notice text exists once the district has opened the media notice',
          );
        const lines = contract.taskLines.map((line) => [
          line.taskName,
          `${line.auditedAreaMu ?? '0.00'} 亩`,
          `${line.unitPriceYuan} 元/亩`,
          yuan(line.amountFen ?? 0),
        ]);
        const content = {
          subject: organisation.name,
          noticeId: notice.id,
          lines,
          subsidyFen: subsidy,
        };
        return {
          content,
          draw: (form) =>
            form
              .title('媒体公示', `${notice.mediaName ?? ''}　${notice.publishedOn ?? ''}`)
              .paragraph(
                `根据${project.name}实施方案，经村核实、镇验收、区农委会同区财政局审核，现将${organisation.name}（标段 ${contract.lotCode}）社会化服务补助情况公示如下：`,
              )
              .table(
                [
                  { header: '作业环节', width: 150 },
                  { header: '审核面积', width: 120, align: 'right' },
                  { header: '补助标准', width: 110, align: 'right' },
                  { header: '补助金额', width: 119, align: 'right' },
                ],
                [...lines, ['合计', '', '', yuan(subsidy)]],
              )
              .paragraph(
                `补助金额合计：${money(subsidy)}。公示期 ${shanghaiDate(notice.openedAt)} 至 ${shanghaiDate(notice.endsAt)}（7 天）。如有异议，请于公示期内向区农委书面反映，或通过 /public/notices/${notice.id} 提出。`,
              ),
        };
      }
      case 'payout-order': {
        const payout = await this.dataSource
          .getRepository(Payout)
          .findOne({ where: { contractId: contract.id, state: In(['issued', 'confirmed']) } });
        if (!payout)
          throw documentNotAvailable(
            `A payout order exists once a payout is issued; the contract is ${contract.state}`,
          );
        const sheet = await this.calculation.sheet(actor, contract.id);
        const approvals = sheet.signers
          .filter((signer) => signer.stage === 'district audit')
          .map((signer) => `${approverTitle(signer.role, districtName).join(' ')} ${signer.name}`);
        const accountNo = disclose(actor, 'bankAccount', payout.bankAccountNo, {
          organisationId: contract.organisationId,
        });
        const content = {
          subject: payout.payeeName,
          payoutId: payout.id,
          amountFen: payout.amountFen,
          state: payout.state,
          bankReference: payout.bankReference,
        };
        return {
          content,
          draw: (form) =>
            form
              .title('拨付单', `拨付单号 ${payout.id}`)
              .fields([
                ...head,
                ['收款单位', payout.payeeName],
                ['开户银行', payout.bankName],
                ['户名', payout.bankAccountName],
                ['账号', accountNo],
                ['金额（小写）', yuan(payout.amountFen)],
                ['金额（大写）', toChineseCapital(payout.amountFen)],
                ['审核', approvals.join('；')],
                [
                  '状态',
                  payout.state === 'confirmed'
                    ? `已到账（银行流水号 ${payout.bankReference ?? ''}）`
                    : '已开具，待银行确认',
                ],
              ])
              .signatureBoxes(['经办人', '审核人', '区财政局（盖章）']),
        };
      }
    }
  }
}
