import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../common/errors/domain-error';
import { AuditSampleService } from '../audits/audit-sample.service';
import { PaymentBatchesService } from '../payment-batches/payment-batches.service';
import { PayoutsService } from '../payouts/payouts.service';
import { DOCUMENT_TITLES, DocumentsService } from '../documents/documents.service';
import type { AuditSampleDto } from '../audits/dto/audit-sample.dto';
import type { ContractDto } from '../contracts/dto/contract.dto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { formatMu } from '../../common/values/decimal-units';
import { AcceptanceRecord } from '../acceptance/acceptance-record.entity';
import type { Actor } from '../auth/actor';
import { acceptanceOpenRefusal, registerRefusal } from '../contracts/machine/queries';
import { Contract, ContractTaskLine } from '../contracts/contract.entity';
import { ContractsService } from '../contracts/contracts.service';
import { RegisterService } from '../field-work/register.service';
import { ObjectionsService } from '../notices/objections.service';
import { Organisation } from '../organisations/organisation.entity';
import { Region } from '../regions/region.entity';
import type { WorkItemDto } from '../work-items/dto/work-item.dto';
import { WorkItemsService } from '../work-items/work-items.service';
import {
  ATTACHMENT_LABELS,
  BATCH_STATE_LABELS,
  EVENT_LABELS,
  KIND_LABELS,
  PAYOUT_STATE_LABELS,
  ROLE_LABELS,
  ROW_CODE_MESSAGES,
  SATISFACTION_LABELS,
  VISIT_METHOD_LABELS,
  stateLabel,
} from './desk-strings';
import type { FormState } from './form-state';

/** A date typed as the REST routes take it (a browser's date picker would show its own locale's order). */
const DATE_HINT = '格式：2015-07-10';

/** Who sees a contract's audit sample (as `GET /contracts/:id/audit/sample`). */
const SAMPLE_VIEWERS: readonly string[] = [
  'district_agri',
  'district_finance',
  'observer',
  'admin',
];

const TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
export const shanghai = (iso: string): string => TIME.format(new Date(iso));

/** Where each to-do kind is done: the contract page's form of that item. */
export function formKeyOf(item: WorkItemDto): string {
  switch (item.kind) {
    case 'register':
      return 'register';
    case 'claim':
      return `claim-${item.taskCode}`;
    case 'verify':
      return `verify-${item.taskCode}-${item.villageCode}`;
    case 'objection':
      return `objection-${item.objectionId}`;
    case 'acceptance.open':
      return `open-${item.taskCode}`;
    case 'acceptance.sign':
      return `sign-${item.recordId}`;
    case 'contract.sign':
      return 'contract-sign';
    case 'audit.sample':
      return 'audit-sample';
    case 'audit.approve':
      return 'audit';
    case 'mediaNotice.open':
      return 'media-notice';
    case 'payout.issue':
      return 'payout';
    case 'batch.result':
      return 'result';
  }
}

/** The page where a to-do item is done: its contract's form, or the batch's result form. */
export function hrefOf(item: WorkItemDto): string {
  if (item.kind === 'batch.result' && item.batchId)
    return `/desk/payment-batches/${item.batchId}#${formKeyOf(item)}`;
  return item.contractId
    ? `/desk/contracts/${item.contractId}#${formKeyOf(item)}`
    : '/desk/contracts';
}

const SUCCESS: Record<string, string> = {
  claim: '已申报。各村的核实小组会在待办里看到这个环节。',
  verify: '已提交核实，村级公示已经开始（7 天）。',
  objection: '异议已处理。',
  open: '验收记录已发起，请验收小组成员签字。',
  sign: '已签字。',
  rework: '已退回整改，服务组织可以修改清册后重新申报。',
  revise: '验收记录已修改为新的一版，请验收小组成员重新签字。',
  attachment: '附件已上传。',
  contractSigned: '合同已签订，服务组织可以上传清册。',
  sampleDrawn: '样本已抽取，请逐户登记走访。',
  visited: '走访已登记。',
  auditApproved: '已审核通过。',
  auditRejected: '已驳回审核，两局的审核意见已清空。',
  mediaNoticeOpened: '媒体公示已发布（7 天）。',
  payout: '补助已发放，等待生成支付批次送银行。',
};

/**
 * The desk's pages as data for the templates. What the caller may do on a contract comes from
 * the same places as the REST answers: the to-do list's items (machine queries) and the
 * machine's state questions — the page layer decides nothing itself.
 */
@Injectable()
export class DeskPagesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workItems: WorkItemsService,
    private readonly contracts: ContractsService,
    private readonly register: RegisterService,
    private readonly objections: ObjectionsService,
    private readonly samples: AuditSampleService,
    private readonly batches: PaymentBatchesService,
    private readonly payouts: PayoutsService,
    private readonly documents: DocumentsService,
  ) {}

  /** The district's payment batches, newest first, and the form 生成批次. */
  async paymentBatches(
    actor: Actor,
    offset: number,
    limit: number,
    state: FormState = {},
  ): Promise<object> {
    const page = await this.batches.list(actor, { limit, offset });
    const waiting = await this.payouts.list(actor, { state: 'issued', limit: 1, offset: 0 });
    const link = (at: number) => `/desk/payment-batches?offset=${at}`;
    return {
      title: '支付批次',
      errors: state.errors ?? [],
      issued: waiting.total,
      total: page.total,
      rows: page.items.map((batch) => [
        { text: batch.batchNo, href: `/desk/payment-batches/${batch.id}` },
        shanghai(batch.createdAt),
        BATCH_STATE_LABELS[batch.state] ?? batch.state,
        { text: String(batch.count), num: true },
        { text: batch.totalYuan, num: true },
        { text: String(batch.byState.confirmed.count), num: true },
        { text: String(batch.byState.failed.count), num: true },
      ]),
      previous: offset > 0 ? link(Math.max(0, offset - limit)) : undefined,
      next: offset + limit < page.total ? link(offset + limit) : undefined,
    };
  }

  /** One batch: its figures, its payouts with their outcome, the bank file and 上传银行回单. */
  async paymentBatch(actor: Actor, id: string, state: FormState = {}): Promise<object> {
    const batch = await this.batches.get(actor, id);
    const payouts = [];
    for (const payoutId of batch.payoutIds) payouts.push(await this.payouts.get(actor, payoutId));
    const contracts = await this.dataSource
      .getRepository(Contract)
      .findBy({ id: In([...new Set(payouts.map((payout) => payout.contractId))]) });
    const contractNo = new Map(contracts.map((c) => [c.id, c.contractNo ?? c.lotCode]));
    const figures = (label: string, f: { count: number; amountYuan: string }) => ({
      term: label,
      value: `${f.count} 笔，${f.amountYuan} 元`,
    });
    const errors = state.form === 'result' ? (state.fieldErrors ?? {}) : {};
    return {
      title: `支付批次 ${batch.batchNo}`,
      banner: state.done === 'created' ? { title: '批次已生成，请下载文件送银行。' } : state.banner,
      errors: state.errors ?? [],
      summary: [
        { term: '状态', value: BATCH_STATE_LABELS[batch.state] ?? batch.state },
        { term: '生成时间', value: shanghai(batch.createdAt) },
        { term: '合计', value: `${batch.count} 笔，${batch.totalYuan} 元` },
        figures('待银行确认', batch.byState.issued),
        figures('已到账', batch.byState.confirmed),
        figures('银行退回', batch.byState.failed),
      ],
      files: [
        { href: `/desk/payment-batches/${id}/file?format=xlsx`, label: '下载送银行文件（XLSX）' },
        { href: `/desk/payment-batches/${id}/file?format=csv`, label: '下载送银行文件（CSV）' },
      ],
      payouts: payouts.map((payout) => [
        payout.payoutNo,
        {
          text: contractNo.get(payout.contractId) ?? payout.contractId,
          href: `/desk/contracts/${payout.contractId}`,
        },
        payout.payee.name,
        { text: payout.amountYuan, num: true },
        PAYOUT_STATE_LABELS[payout.state] ?? payout.state,
        payout.bankReference,
      ]),
      rejections: state.rejections?.map((rejection) => [
        { text: rejection.row, num: true },
        rejection.message,
      ]),
      result: batch.reconciledAt
        ? undefined
        : {
            action: `/desk/payment-batches/${id}/result?_csrf=${encodeURIComponent(state.csrf ?? '')}`,
            error: errors.file,
          },
    };
  }

  async todo(actor: Actor): Promise<object> {
    const page = await this.workItems.list(actor, { limit: 200, offset: 0 });
    const names = await this.villageNames(page.items.map((item) => item.villageCode));
    const tasks = await this.taskNames(page.items.map((item) => item.contractId));
    const groups = Object.entries(page.countsByKind)
      .filter(([, count]) => count > 0)
      .map(([kind, count]) => ({
        kind,
        label: KIND_LABELS[kind as keyof typeof KIND_LABELS],
        count,
        items: page.items
          .filter((item) => item.kind === kind)
          .map((item) => ({
            href: hrefOf(item),
            text: [
              item.contractNo ?? (item.contractId ? '合同（未签）' : '支付批次'),
              item.organisationName,
              item.taskCode
                ? (tasks.get(`${item.contractId}/${item.taskCode}`) ?? item.taskCode)
                : undefined,
              item.villageCode ? (names.get(item.villageCode) ?? item.villageCode) : undefined,
            ]
              .filter(Boolean)
              .join(' · '),
            since: shanghai(item.since),
            due: item.dueAt ? shanghai(item.dueAt) : undefined,
          })),
      }));
    return { groups, total: page.total, shown: page.items.length, more: page.total > 200 };
  }

  async contract(actor: Actor, id: string, state: FormState = {}): Promise<object> {
    const contract = await this.contracts.get(actor, id);
    const history = await this.contracts.history(actor, id);
    const all = await this.workItems.list(actor, { limit: 200, offset: 0 });
    const items = all.items.filter((item) => item.contractId === id);
    const names = await this.villageNames(contract.villageCodes);
    const village = (code: string) => names.get(code) ?? code;
    const taskName = (code: string) =>
      contract.taskLines.find((line) => line.taskCode === code)?.taskName ?? code;
    const errorsOf = (key: string) => (state.form === key ? (state.fieldErrors ?? {}) : {});
    const valuesOf = (key: string) => (state.form === key ? (state.values ?? {}) : {});
    const forms: object[] = [];
    const csrfQuery = `?_csrf=${encodeURIComponent(state.csrf ?? '')}`;

    if (actor.role === 'cooperative' && registerRefusal(contract.state) === undefined) {
      forms.push({
        key: 'register',
        title: '上传清册',
        kind: 'file',
        multipart: true,
        action: `/desk/contracts/${id}/register${csrfQuery}`,
        fileLabel: '落实到户清册（CSV 或 XLSX）',
        hint: '第一行为表头（村代码、农户姓名、身份证号……）。格式正确的行会导入，有问题的行逐行列出。',
        accept: '.csv,.xlsx',
        button: '上传清册',
        errors: errorsOf('register'),
        values: valuesOf('register'),
      });
      forms.push({
        key: 'attachment',
        title: '上传附件',
        kind: 'file',
        multipart: true,
        action: `/desk/contracts/${id}/attachments${csrfQuery}`,
        kinds: Object.entries(ATTACHMENT_LABELS).map(([value, label]) => ({ value, label })),
        fileLabel: '文件',
        button: '上传附件',
        errors: errorsOf('attachment'),
        values: valuesOf('attachment'),
      });
    }
    for (const item of items) {
      const key = formKeyOf(item);
      const line = contract.taskLines.find((candidate) => candidate.taskCode === item.taskCode);
      if (item.kind === 'claim') {
        forms.push({
          key,
          title: `申报：${line?.taskName ?? item.taskCode}`,
          text: '申报后清册不能再修改，各村开始核实。',
          action: `/desk/contracts/${id}/task-lines/${item.taskCode}/claim`,
          button: '申报',
          errors: errorsOf(key),
          values: valuesOf(key),
        });
      }
      if (item.kind === 'verify' && item.taskCode && item.villageCode) {
        const rows = await this.partRows(actor, id, item.taskCode, item.villageCode);
        const values = valuesOf(key) as { areas?: Record<string, string>; note?: string };
        const errors = errorsOf(key);
        forms.push({
          key,
          kind: 'verify',
          title: `核实：${line?.taskName ?? item.taskCode} · ${village(item.villageCode)}`,
          action: `/desk/contracts/${id}/task-lines/${item.taskCode}/villages/${item.villageCode}/verification`,
          rows: rows.map((row) => ({
            id: row.id,
            rowNo: row.row,
            household: row.householdName,
            plot: row.plotCode,
            claimed: row.areaMu,
            value: values.areas?.[row.id] ?? row.areaMu,
            error: errors[`row-${row.id}`],
          })),
          button: '提交核实',
          errors,
          values,
        });
      }
      if (item.kind === 'acceptance.open' && item.taskCode && line) {
        const values = valuesOf(key) as { areas?: Record<string, string>; note?: string };
        const errors = errorsOf(key);
        forms.push({
          key,
          kind: 'accept',
          title: `发起验收：${line.taskName}`,
          action: `/desk/contracts/${id}/task-lines/${item.taskCode}/acceptance`,
          villages: line.villageParts.map((part) => ({
            villageCode: part.villageCode,
            label: village(part.villageCode),
            verified: part.verifiedAreaMu ?? '0.00',
            value: values.areas?.[part.villageCode] ?? part.verifiedAreaMu ?? '0.00',
            error: errors[`village-${part.villageCode}`],
          })),
          button: '发起验收',
          errors,
          values,
        });
      }
      if (item.kind === 'acceptance.sign' && item.recordId) {
        const record = await this.dataSource
          .getRepository(AcceptanceRecord)
          .findOneBy({ id: item.recordId });
        forms.push({
          key,
          kind: 'sign',
          title: `验收签字：${line?.taskName ?? item.taskCode}（第 ${record?.revision ?? 1} 版）`,
          action: `/desk/contracts/${id}/acceptance-records/${item.recordId}/signatures`,
          facts: (record?.villages ?? []).map((entry) => ({
            term: village(entry.villageCode),
            value: `验收 ${formatMu(entry.acceptedArea)} 亩`,
          })),
          errors: errorsOf(key),
          values: valuesOf(key),
        });
      }
    }
    if (items.some((item) => item.kind === 'objection')) {
      const open = await this.objections.listObjections(actor, {
        contractId: id,
        state: 'open',
        limit: 200,
        offset: 0,
      });
      for (const objection of open.items) {
        const key = `objection-${objection.id}`;
        forms.push({
          key,
          kind: 'resolve',
          title: `处理异议（${objection.villageCode ? village(objection.villageCode) : '媒体公示'}）`,
          action: `/desk/contracts/${id}/objections/${objection.id}/resolve`,
          facts: [
            { term: '提出人', value: `${objection.name} ${objection.phone}` },
            { term: '内容', value: objection.text },
            { term: '提出时间', value: shanghai(objection.createdAt) },
          ],
          errors: errorsOf(key),
          values: valuesOf(key),
        });
      }
    }
    if (actor.role === 'town_acceptor') {
      // A record that is open or failed is revised (a new revision, signatures reset).
      const current = await this.dataSource.getRepository(AcceptanceRecord).findBy({
        contractId: id,
        state: In(['open', 'failed']),
      });
      for (const record of current) {
        const line = contract.taskLines.find((candidate) => candidate.taskCode === record.taskCode);
        if (!line) continue;
        const key = `revise-${record.id}`;
        const values = valuesOf(key) as { areas?: Record<string, string>; note?: string };
        const errors = errorsOf(key);
        forms.push({
          key,
          kind: 'accept',
          title: `修改验收记录：${line.taskName}（第 ${record.revision} 版${record.state === 'failed' ? '，未通过' : ''}）`,
          text: '修改后生成新的一版，已有的签字作废，需要重新签字。',
          action: `/desk/contracts/${id}/acceptance-records/${record.id}/revise`,
          villages: record.villages.map((entry) => {
            const part = line.villageParts.find((p) => p.villageCode === entry.villageCode);
            return {
              villageCode: entry.villageCode,
              label: village(entry.villageCode),
              verified: part?.verifiedAreaMu ?? '0.00',
              value: values.areas?.[entry.villageCode] ?? formatMu(entry.acceptedArea),
              error: errors[`village-${entry.villageCode}`],
            };
          }),
          noteLabel: '修改说明',
          button: '修改验收记录',
          errors,
          values,
        });
      }
      for (const line of contract.taskLines) {
        if (acceptanceOpenRefusal(line.taskCode, line.state) !== undefined) continue;
        const key = `rework-${line.taskCode}`;
        forms.push({
          key,
          kind: 'note',
          title: `退回整改：${line.taskName}`,
          noteLabel: '整改要求',
          action: `/desk/contracts/${id}/task-lines/${line.taskCode}/rework`,
          button: '退回整改',
          errors: errorsOf(key),
          values: valuesOf(key),
        });
      }
    }

    await this.districtForms(actor, id, contract, items, state, forms, csrfQuery);
    const sample = await this.sampleOf(actor, id);

    const partRows = contract.taskLines.flatMap((line) =>
      line.villageParts.map((part) => [
        line.taskName,
        village(part.villageCode),
        stateLabel(part.state),
        { text: part.claimedAreaMu, num: true },
        { text: part.verifiedAreaMu, num: true },
        { text: part.acceptedAreaMu, num: true },
        (part as { assessment?: { quality?: string } }).assessment?.quality ?? null,
      ]),
    );
    const banner = state.done ? { title: SUCCESS[state.done] ?? '已完成。' } : state.banner;
    return {
      title: contract.contractNo ?? `（未签）标段 ${contract.lotCode}`,
      banner,
      errors: state.errors ?? [],
      rejections: state.rejections?.map((rejection) => [
        { text: rejection.row, num: true },
        `${ROW_CODE_MESSAGES[rejection.code] ?? rejection.code}：${rejection.message}`,
      ]),
      summary: [
        { term: '状态', value: stateLabel(contract.state) },
        { term: '合同号', value: contract.contractNo ?? '未签' },
        { term: '标段', value: contract.lotCode },
        { term: '村', value: contract.villageCodes.map(village).join('、') },
        { term: '完成期限', value: contract.workDeadline },
        { term: '补助（元）', value: contract.subsidyYuan ?? '审核后确定' },
      ],
      lines: contract.taskLines.map((line) => [
        line.taskName,
        stateLabel(line.state),
        { text: line.assignedAreaMu, num: true },
        { text: line.claimedAreaMu, num: true },
        { text: line.verifiedAreaMu, num: true },
        { text: line.acceptedAreaMu, num: true },
        { text: line.auditedAreaMu, num: true },
      ]),
      parts: partRows,
      sample: sample && {
        caption: `种子 ${sample.seed.slice(0, 16)}…，抽样比例 ${sample.ratePct}%，每村至少 ${sample.minPerVillage} 户，容差 ${sample.tolerancePct}%。面积单位：亩`,
        rows: sample.rows.map((row) => [
          { text: String(row.row), num: true },
          row.householdName,
          row.householdIdNo,
          row.plotCode,
          { text: row.verifiedAreaMu, num: true },
          row.visit
            ? `${VISIT_METHOD_LABELS[row.visit.method] ?? row.visit.method} ${row.visit.visitedOn} · 实见 ${row.visit.observedAreaMu} 亩 · ${row.visit.householdConfirms ? '农户确认' : '农户不确认'}${row.visit.photos.length ? ` · 照片 ${row.visit.photos.length} 张` : ''}`
            : '未走访',
        ]),
        lines: (sample.taskLines ?? []).map((line) => [
          taskName(line.taskCode),
          { text: line.sampledAreaMu, num: true },
          { text: line.observedAreaMu, num: true },
          { text: `${line.shortfallPct}%`, num: true },
          { text: line.maxAuditedAreaMu ?? '走访完成后确定', num: true },
        ]),
      },
      forms,
      history: history.map((entry) => ({
        at: shanghai(entry.at),
        text: [
          entry.actor ?? '系统',
          EVENT_LABELS[entry.event] ?? entry.event,
          entry.taskCode && taskName(entry.taskCode),
          entry.villageCode ? village(entry.villageCode) : undefined,
          `${entry.from ? stateLabel(entry.from) : '—'} → ${stateLabel(entry.to)}`,
        ]
          .filter(Boolean)
          .join(' · '),
      })),
      calculationHref: `/desk/contracts/${id}/calculation`,
      // Every document the contract has now (the village prints its notice from here).
      documents: (await this.documents.available(contract)).map((document) => {
        const query = new URLSearchParams();
        if (document.taskCode) query.set('taskCode', document.taskCode);
        if (document.villageCode) query.set('villageCode', document.villageCode);
        const which = [
          document.taskCode && taskName(document.taskCode),
          document.villageCode && village(document.villageCode),
        ].filter(Boolean);
        const search = query.toString();
        return {
          href: `/desk/contracts/${id}/documents/${document.kind}${search ? `?${search}` : ''}`,
          label: `${DOCUMENT_TITLES[document.kind]}${which.length ? `：${which.join(' · ')}` : ''}（PDF）`,
        };
      }),
    };
  }

  /**
   * The district bureaus' forms, each offered because a to-do item of the caller asks for it
   * (the machine's queries behind `GET /work-items`): sign, draw the sample and visit its rows,
   * approve or reject the audit, open the media notice, issue the payout.
   */
  private async districtForms(
    actor: Actor,
    id: string,
    contract: ContractDto,
    items: WorkItemDto[],
    state: FormState,
    forms: object[],
    csrfQuery: string,
  ): Promise<void> {
    const has = (kind: WorkItemDto['kind']) => items.some((item) => item.kind === kind);
    const errorsOf = (key: string) => (state.form === key ? (state.fieldErrors ?? {}) : {});
    const valuesOf = (key: string): Record<string, unknown> =>
      state.form === key ? (state.values ?? {}) : {};
    const value = (key: string, name: string, fallback = '') => {
      const typed = valuesOf(key)[name];
      return typeof typed === 'string' ? typed : fallback;
    };
    const field = (key: string, name: string, label: string, extra: object = {}) => ({
      id: `${key}-${name}`,
      name,
      label,
      value: value(key, name),
      error: errorsOf(key)[name],
      ...extra,
    });
    if (has('contract.sign')) {
      const key = 'contract-sign';
      forms.push({
        key,
        kind: 'fields',
        title: '签订合同',
        text: '签订日期不早于开标（及中标）日期，不晚于完成期限。',
        action: `/desk/contracts/${id}/sign`,
        fields: [
          field(key, 'contractNo', '合同号', { hint: '例如：谯农服合〔2015〕1号' }),
          field(key, 'signedOn', '签订日期', { hint: DATE_HINT }),
        ],
        button: '签订合同',
        errors: errorsOf(key),
        values: valuesOf(key),
      });
    }
    const auditing = has('audit.sample') || has('audit.approve');
    if (auditing) {
      const sample = await this.sampleOf(actor, id);
      if (!sample) {
        const key = 'audit-sample';
        forms.push({
          key,
          title: '抽取样本',
          text: has('audit.sample')
            ? '本项目的补助标准要求抽样走访：抽取后逐户登记走访，全部走访后才能审核。'
            : '可以抽样走访（入户了解、实地查看）；抽取后审核面积以走访结果为上限。',
          action: `/desk/contracts/${id}/audit/sample`,
          button: '抽取样本',
          errors: errorsOf(key),
          values: valuesOf(key),
        });
      } else {
        for (const row of sample.rows.filter((candidate) => !candidate.visit)) {
          const key = `visit-${row.rowId}`;
          forms.push({
            key,
            kind: 'fields',
            multipart: true,
            title: `登记走访：第 ${row.row} 行 · ${row.householdName} · 地块 ${row.plotCode}`,
            text: `核实面积 ${row.verifiedAreaMu} 亩。`,
            action: `/desk/contracts/${id}/audit-samples/${sample.id}/visits${csrfQuery}`,
            hidden: [{ name: 'rowId', value: row.rowId }],
            fields: [
              field(key, 'visitedOn', '走访日期', { hint: DATE_HINT }),
              field(key, 'method', '走访方式', {
                options: Object.entries(VISIT_METHOD_LABELS).map(([v, label]) => ({
                  value: v,
                  label,
                })),
              }),
              field(key, 'householdConfirms', '农户是否确认作业', {
                options: [
                  { value: 'true', label: '确认' },
                  { value: 'false', label: '不确认' },
                ],
              }),
              field(key, 'observedAreaMu', '实见面积（亩）', {
                value: value(key, 'observedAreaMu', row.verifiedAreaMu),
                hint: `不超过核实面积 ${row.verifiedAreaMu} 亩`,
                inputmode: 'decimal',
              }),
              field(key, 'satisfaction', '农户满意度', {
                options: [
                  { value: '', label: '不填' },
                  ...Object.entries(SATISFACTION_LABELS).map(([v, label]) => ({ value: v, label })),
                ],
              }),
              field(key, 'note', '走访说明（可不填）'),
            ],
            file: {
              id: `${key}-file`,
              label: '走访照片',
              hint: '手机可直接拍照；JPEG 或 PNG。',
              accept: 'image/*',
              capture: true,
              error: errorsOf(key).file,
            },
            button: '登记走访',
            errors: errorsOf(key),
            values: valuesOf(key),
          });
        }
      }
    }
    if (has('audit.approve')) {
      const key = 'audit';
      forms.push({
        key,
        kind: 'fields',
        title: `区级审核（${ROLE_LABELS[actor.role] ?? actor.role}）`,
        text: '审核通过时审核面积默认等于验收面积（抽样走访后以走访结果为上限）；两局都通过后补助金额确定。驳回须写明理由，两局的审核意见清空。',
        action: `/desk/contracts/${id}/audit`,
        fields: [field(key, 'note', '审核意见（驳回时必填）')],
        buttons: [
          { label: '审核通过', name: 'decision', value: 'approve' },
          { label: '审核驳回', name: 'decision', value: 'reject', variant: 'warning' },
        ],
        errors: errorsOf(key),
        values: valuesOf(key),
      });
    }
    if (has('mediaNotice.open')) {
      const key = 'media-notice';
      forms.push({
        key,
        kind: 'fields',
        title: '发布媒体公示',
        text: '公示 7 天，期间没有未处理的异议即可拨付。',
        action: `/desk/contracts/${id}/media-notice`,
        fields: [
          field(key, 'mediaName', '媒体名称', { hint: '例如：《亳州晚报》' }),
          field(key, 'publishedOn', '发布日期', { hint: DATE_HINT }),
        ],
        button: '发布媒体公示',
        errors: errorsOf(key),
        values: valuesOf(key),
      });
    }
    if (has('payout.issue')) {
      const key = 'payout';
      forms.push({
        key,
        kind: 'fields',
        title: `发放补助：${contract.subsidyYuan ?? ''} 元`,
        text: '发放后生成支付批次送银行。重复提交只发放一次。',
        action: `/desk/contracts/${id}/payouts`,
        // A key of this page's own: a double submit or a retry is the same request, paid once.
        hidden: [{ name: 'idempotencyKey', value: randomUUID() }],
        fields: [field(key, 'note', '付款说明（可不填）')],
        button: '发放补助',
        errors: errorsOf(key),
        values: valuesOf(key),
      });
    }
  }

  /** The contract's audit sample, when one is drawn and the caller may see it. */
  private async sampleOf(actor: Actor, id: string): Promise<AuditSampleDto | undefined> {
    if (!SAMPLE_VIEWERS.includes(actor.role)) return undefined;
    try {
      return await this.samples.get(actor, id);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  private async partRows(actor: Actor, contractId: string, taskCode: string, villageCode: string) {
    const rows = [];
    for (let offset = 0; ; offset += 200) {
      const page = await this.register.list(actor, contractId, {
        taskCode,
        villageCode,
        state: 'claimed',
        limit: 200,
        offset,
      });
      rows.push(...page.items);
      if (rows.length >= page.total || page.items.length === 0) return rows;
    }
  }

  /** `contractId/taskCode` → the task's name (小麦机收) for the to-do list's texts. */
  private async taskNames(contractIds: (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(contractIds.filter((id): id is string => id !== null))];
    if (wanted.length === 0) return new Map();
    const lines = await this.dataSource
      .getRepository(ContractTaskLine)
      .findBy({ contractId: In(wanted) });
    return new Map(lines.map((line) => [`${line.contractId}/${line.taskCode}`, line.taskName]));
  }

  async organisationNames(ids: string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(Organisation).findBy({ id: In(wanted) });
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  private async villageNames(codes: (string | undefined)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(codes.filter((code): code is string => Boolean(code)))];
    if (wanted.length === 0) return new Map();
    const regions = await this.dataSource.getRepository(Region).findBy({ code: In(wanted) });
    return new Map(regions.map((region) => [region.code, region.name]));
  }
}
