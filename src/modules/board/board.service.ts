import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { shanghaiDateTime } from '../../common/clock/shanghai-date';
import { notFound, type FieldError } from '../../common/errors/domain-error';
import { msg, render } from '../../common/i18n/message';
import { formatMu, toHundredths } from '../../common/values/decimal-units';
import { disclose } from '../auth/disclosure-policy';
import { NoticesService } from '../notices/notices.service';
import { ObjectionsService } from '../notices/objections.service';
import { BoardQueries, type BoardNoticeRow, type BoardObjectionRow } from './board.queries';
import { BoardViews } from './board-views';
import { assessmentText, noticeStateView, objectionOutcomeView } from './board-labels';
import {
  NAME_MAX,
  TEXT_MAX,
  formInput,
  parseObjectionForm,
  type ObjectionFormInput,
} from './objection-form';

const DAY_MS = 24 * 3600 * 1000;

/** A problem with a field, shown next to it; the villager's input is kept. */
export interface FormState {
  input: ObjectionFormInput;
  errors: FieldError[];
}

/** The notice board: the pages a villager reads on a phone, built from the public notice data. */
@Injectable()
export class BoardService {
  constructor(
    private readonly queries: BoardQueries,
    private readonly notices: NoticesService,
    private readonly objections: ObjectionsService,
    private readonly views: BoardViews,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** GET /board: the running notices by town and village, each with its days left. */
  async boardPage(): Promise<string> {
    const now = this.clock.now();
    const groups: {
      anchor: string;
      heading: string;
      villages: { name: string; notices: unknown[] }[];
    }[] = [];
    for (const notice of await this.queries.runningNotices()) {
      const heading =
        notice.kind === 'village'
          ? `${notice.district_name ?? ''} ${notice.town_name ?? ''}`.trim()
          : `${notice.district_name ?? ''}（媒体公示）`;
      let group = groups.find((candidate) => candidate.heading === heading);
      if (!group) {
        group = { anchor: `town-${groups.length + 1}`, heading, villages: [] };
        groups.push(group);
      }
      const villageName = notice.village_name ?? '全区';
      let village = group.villages.find((candidate) => candidate.name === villageName);
      if (!village) {
        village = { name: villageName, notices: [] };
        group.villages.push(village);
      }
      // The year and the project on every card: two seasons' notices of one village and task
      // (the 2014 and the 2026 wheat harvest) read the same by their titles alone (issue 22).
      village.notices.push({
        href: `/board/notices/${notice.id}`,
        title: `${notice.project_year}年 ${notice.title}`,
        project: `${notice.project_year}年度 ${notice.project_name}`,
        organisation: notice.organisation_name,
        task: notice.task_name ?? notice.project_name,
        endsAt: beijing(notice.ends_at),
        daysLeft: daysLeft(notice.ends_at, now),
        objections: objectionCount(notice),
      });
    }
    return this.views.render('board', {
      title: '正在公示',
      groups,
      generatedAt: beijing(now),
    });
  }

  /** GET /board/notices/:id, and the same page with the form's problems marked (400). */
  async noticePage(id: string, token: string, form?: FormState): Promise<string> {
    const notice = await this.queries.notice(id);
    if (!notice) throw notFound('Notice', id);
    const [detail, objections] = await Promise.all([
      this.notices.getPublic(id), // its rows, ID numbers masked
      this.queries.objections(id),
    ]);
    const rows = detail.rows.map((row) => ({
      id: row.id,
      household: row.householdName,
      idNo: row.householdIdNo,
      plot: row.plotCode,
      area: row.verifiedAreaMu ?? '待核实',
    }));
    const totalMu = formatMu(
      detail.rows.reduce((sum, row) => sum + (toHundredths(row.verifiedAreaMu ?? '0') ?? 0), 0),
    );
    const state = noticeStateView(notice.state, notice.kind);
    const closed = state.closed;
    return this.views.render('notice', {
      title: notice.title,
      closed,
      stateLabel: state.label,
      closedReason: closed
        ? `${state.reason}${notice.closed_at ? `（关闭时间：${beijing(notice.closed_at)}）` : ''}`
        : '',
      daysLeft: daysLeft(notice.ends_at, this.clock.now()),
      facts: this.facts(notice),
      objections: {
        summary: objectionSummary(objections),
        items: objections.map((objection) => outcomeOf(objection, rows)),
      },
      rows,
      totalMu,
      form: closed ? undefined : this.form(notice, token, rows, form),
    });
  }

  /**
   * POST /board/notices/:id/objections: the form checked, then filed through the JSON route's
   * own service method (same rules and codes); the confirmation page with its reference number.
   */
  async fileObjection(id: string, body: unknown): Promise<string> {
    const dto = parseObjectionForm(formInput(body));
    const { id: objectionId } = await this.objections.fileObjection(id, dto);
    const notice = await this.queries.notice(id);
    if (!notice) throw notFound('Notice', id);
    return this.views.render('confirmation', {
      title: '异议已提交',
      id: objectionId,
      ref: objectionRef(objectionId),
      decider:
        notice.kind === 'village'
          ? `${notice.village_name ?? '本村'}的村级核实人员（村核实小组）核实并作出处理：驳回或采纳`
          : '区农业农村委员会核实并作出处理：驳回或采纳',
      when: `公示期到 ${beijing(notice.ends_at)} 截止。您的异议处理完之前，这份公示不会结束，补助不会进入下一步；异议被采纳时，面积要重新核实并重新公示。`,
      // A public page: the objector's own number is shown as the public sees it.
      phone: disclose(null, 'phone', dto.phone),
      noticeHref: `/board/notices/${id}`,
      noticeTitle: notice.title,
    });
  }

  private facts(notice: BoardNoticeRow): { label: string; value: string }[] {
    const facts = [
      { label: '项目', value: notice.project_name },
      { label: '作业环节', value: notice.task_name ?? '全部作业' },
      {
        label: '地点',
        value:
          [notice.district_name, notice.town_name, notice.village_name]
            .filter((name) => name)
            .join(' ') || '—',
      },
      { label: '服务组织', value: notice.organisation_name },
      { label: '公示开始', value: beijing(notice.opened_at) },
      { label: '公示截止', value: beijing(notice.ends_at) },
    ];
    if (notice.media_name) facts.push({ label: '刊登媒体', value: notice.media_name });
    if (notice.assessment_quality) {
      facts.push({
        label: '村评价',
        value: assessmentText(notice.assessment_quality, notice.assessment_note),
      });
    }
    return facts;
  }

  private form(
    notice: BoardNoticeRow,
    token: string,
    rows: { id: string; household: string; plot: string }[],
    state?: FormState,
  ) {
    const input = state?.input ?? { name: '', phone: '', text: '', registerRowId: '' };
    // The board's pages are Chinese whatever the browser asks.
    const errorOf = (field: string) => {
      const message = state?.errors.find((error) => error.field === field)?.message;
      return message === undefined ? undefined : render(message, 'zh');
    };
    const field = (
      name: keyof ObjectionFormInput,
      label: string,
      hint: string,
      extra: Record<string, unknown>,
    ) => {
      const error = errorOf(name);
      return {
        name,
        label,
        hint,
        value: input[name],
        error,
        describedBy: error ? `${name}-hint ${name}-error` : `${name}-hint`,
        ...extra,
      };
    };
    const fields = [
      field('name', '您的姓名', '只给处理异议的工作人员看。', {
        kind: 'text',
        maxLength: NAME_MAX,
        autocomplete: 'name',
        required: true,
      }),
      field('phone', '联系电话', '手机号或带区号的固定电话，方便核实时联系您。', {
        kind: 'tel',
        maxLength: 30,
        autocomplete: 'tel',
        required: true,
      }),
      field('text', '异议内容', `哪块地、哪里不对（最多 ${TEXT_MAX} 字）。`, {
        kind: 'textarea',
        maxLength: TEXT_MAX,
        required: true,
      }),
    ];
    if (rows.length > 0) {
      fields.push(
        field('registerRowId', '涉及的地块（可不选）', '如果异议针对某一户的某块地，请选出。', {
          kind: 'select',
          options: [
            { value: '', label: '不指定', selected: input.registerRowId === '' },
            ...rows.map((row) => ({
              value: row.id,
              label: `${row.household} · ${row.plot}`,
              selected: row.id === input.registerRowId.toLowerCase(),
            })),
          ],
        }),
      );
    }
    return {
      action: `/board/notices/${notice.id}/objections`,
      token,
      fields,
      errorList: fields
        .filter((candidate) => candidate.error)
        .map((candidate) => ({
          field: candidate.name,
          message: render(
            msg('board.fieldError', { label: candidate.label, error: candidate.error ?? '' }),
            'zh',
          ),
        })),
    };
  }
}

/** The short reference a villager can read out on the phone; the full id is printed below it. */
export function objectionRef(id: string): string {
  return id.replace(/-/g, '').slice(0, 8).toUpperCase();
}

function beijing(instant: Date): string {
  return shanghaiDateTime(instant).slice(0, 16);
}

function daysLeft(endsAt: Date, now: Date): string {
  const left = endsAt.getTime() - now.getTime();
  if (left <= 0) return '公示期已满，异议处理中';
  if (left < DAY_MS) return `剩不到 1 天（${Math.ceil(left / 3600_000)} 小时）`;
  return `还剩 ${Math.ceil(left / DAY_MS)} 天`;
}

function objectionCount(notice: BoardNoticeRow): string {
  if (notice.objections === 0) return '暂无异议';
  return `异议 ${notice.objections} 件${notice.open_objections > 0 ? `（${notice.open_objections} 件处理中）` : ''}`;
}

function objectionSummary(objections: BoardObjectionRow[]): string {
  if (objections.length === 0) return '暂无异议。';
  const count = (state: string) =>
    objections.filter((objection) => objection.state === state).length;
  return `共收到异议 ${objections.length} 件：处理中 ${count('open')} 件，已驳回 ${count('dismissed')} 件，已采纳 ${count('upheld')} 件。`;
}

function outcomeOf(
  objection: BoardObjectionRow,
  rows: { id: string; household: string; plot: string }[],
) {
  const outcome = objectionOutcomeView(objection.state);
  const row = rows.find((candidate) => candidate.id === objection.register_row_id);
  return {
    ref: objectionRef(objection.id),
    filedAt: beijing(objection.created_at),
    row: row ? `${row.household} · ${row.plot}` : '',
    outcome: outcome.label,
    outcomeClass: outcome.className,
    note: objection.resolution_note ?? '',
    resolvedAt: objection.resolved_at ? beijing(objection.resolved_at) : '',
  };
}
