import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { formatMu } from '../../common/values/decimal-units';
import { AcceptanceRecord } from '../acceptance/acceptance-record.entity';
import type { Actor } from '../auth/actor';
import { acceptanceOpenRefusal, registerRefusal } from '../contracts/machine/queries';
import { ContractTaskLine } from '../contracts/contract.entity';
import { ContractsService } from '../contracts/contracts.service';
import { RegisterService } from '../field-work/register.service';
import { ObjectionsService } from '../notices/objections.service';
import { Organisation } from '../organisations/organisation.entity';
import { Region } from '../regions/region.entity';
import type { WorkItemDto } from '../work-items/dto/work-item.dto';
import { WorkItemsService } from '../work-items/work-items.service';
import {
  ATTACHMENT_LABELS,
  EVENT_LABELS,
  KIND_LABELS,
  ROW_CODE_MESSAGES,
  stateLabel,
} from './desk-strings';
import type { FormState } from './form-state';

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
    case 'audit.sample':
    case 'audit.approve':
    case 'mediaNotice.open':
    case 'payout.issue':
    case 'batch.result':
      return 'top';
  }
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
  ) {}

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
            href: item.contractId
              ? `/desk/contracts/${item.contractId}#${formKeyOf(item)}`
              : `/desk/contracts`,
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
      forms,
      history: history.map((entry) => ({
        at: shanghai(entry.at),
        text: [
          entry.actor ?? '系统',
          EVENT_LABELS[entry.event] ?? entry.event,
          entry.taskCode,
          entry.villageCode ? village(entry.villageCode) : undefined,
          `${entry.from ? stateLabel(entry.from) : '—'} → ${stateLabel(entry.to)}`,
        ]
          .filter(Boolean)
          .join(' · '),
      })),
      documents: [
        { href: `/desk/contracts/${id}/documents/award-notice`, label: '中标通知书（PDF）' },
        { href: `/desk/contracts/${id}/documents/register`, label: '落实到户清册（PDF）' },
      ],
    };
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
