import { Injectable } from '@nestjs/common';
import { formatYuan } from '../../common/values/decimal-units';
import type { Actor } from '../auth/actor';
import { ProjectSummaryService, type ProjectFigures } from '../projects/project-summary.service';
import { ProjectsService } from '../projects/projects.service';
import { barChart, type BarSeries, type DrawnCharts } from './dashboard-charts';
import { DASHBOARD_LABELS as L, STAGE_LABELS, stateLabel } from './desk-strings';

/** A table cell as the `table` component takes it. */
type Cell = string | { text: string; num?: boolean };

/** One chart of the dashboard: its title, the SVG, and its numbers as a table. */
export interface DashboardChart {
  id: string;
  title: string;
  svg: string;
  head: string[];
  rows: Cell[][];
}

const num = (text: string): Cell => ({ text, num: true });
/** Hundredths of a mu as the table prints them ("1234.56") and the chart's number. */
const mu = (text: string): number => Number(text);

/**
 * The season at a glance (GET /desk/dashboard): every number from ProjectSummaryService.figures,
 * the same statements as GET /projects/:id/summary; this service only lays them out.
 */
@Injectable()
export class DeskDashboardService {
  /** The charts drawn lately (dashboard-charts.ts): unchanged numbers are not drawn again. */
  private readonly drawn: DrawnCharts = new Map();

  constructor(
    private readonly summaries: ProjectSummaryService,
    private readonly projects: ProjectsService,
  ) {}

  /** The projects the caller can see, for the picker. */
  async projectChoices(actor: Actor): Promise<{ id: string; name: string; year: number }[]> {
    const page = await this.projects.list(actor, { limit: 200, offset: 0 });
    return page.items.map((project) => ({
      id: project.id,
      name: project.name,
      year: project.year,
    }));
  }

  async dashboard(
    actor: Actor,
    projectId: string,
  ): Promise<{ projectName: string; projectYear: number; charts: DashboardChart[] }> {
    const figures = await this.summaries.figures(actor, projectId, ['paidArea', 'villageNotices']);
    return {
      projectName: figures.projectName,
      projectYear: figures.projectYear,
      charts: dashboardCharts(figures, this.drawn),
    };
  }
}

/** The six charts of a project's figures, drawn (or taken from `drawn`) in the page's order. */
export function dashboardCharts(figures: ProjectFigures, drawn: DrawnCharts): DashboardChart[] {
  return [areaByTask, areaByVillage, money, contractsByState, noticesByVillage, satisfaction].map(
    (make) => make(figures, drawn),
  );
}

function chart(
  id: string,
  title: string,
  categories: string[],
  series: BarSeries[],
  table: { head: string[]; rows: Cell[][] },
  drawn: DrawnCharts,
  shape: { horizontal?: boolean; counts?: boolean } = {},
): DashboardChart {
  return {
    id,
    title,
    svg: barChart({ title, alt: L.chartAlt(title), categories, series, ...shape }, drawn),
    ...table,
  };
}

function areaByTask(figures: ProjectFigures, drawn: DrawnCharts): DashboardChart {
  const tasks = figures.summary.tasks;
  const stages = tasks.map((task) => ({
    assigned: task.assignedAreaMu,
    claimed: task.claimedAreaMu,
    verified: task.verifiedAreaMu,
    accepted: task.acceptedAreaMu,
    audited: task.auditedAreaMu,
    paid: figures.paidAreaMu[task.taskCode] ?? '0.00',
  }));
  const keys = Object.keys(STAGE_LABELS) as (keyof typeof STAGE_LABELS)[];
  return chart(
    'area-by-task',
    L.areaByTask,
    tasks.map((task) => task.taskName),
    keys.map((key) => ({
      name: STAGE_LABELS[key],
      values: stages.map((stage) => mu(stage[key])),
    })),
    {
      head: [L.task, ...keys.map((key) => STAGE_LABELS[key])],
      rows: tasks.map((task, index) => [
        task.taskName,
        ...keys.map((key) => num(stages[index][key])),
      ]),
    },
    drawn,
  );
}

function areaByVillage(figures: ProjectFigures, drawn: DrawnCharts): DashboardChart {
  const villages = figures.summary.villages;
  const columns = [
    { name: L.registered, of: (v: (typeof villages)[number]) => v.registeredAreaMu },
    { name: STAGE_LABELS.claimed, of: (v: (typeof villages)[number]) => v.claimedAreaMu },
    { name: STAGE_LABELS.verified, of: (v: (typeof villages)[number]) => v.verifiedAreaMu },
    { name: STAGE_LABELS.accepted, of: (v: (typeof villages)[number]) => v.acceptedAreaMu },
  ];
  return chart(
    'area-by-village',
    L.areaByVillage,
    villages.map((village) => village.villageName),
    columns.map((column) => ({ name: column.name, values: villages.map((v) => mu(column.of(v))) })),
    {
      head: [L.village, ...columns.map((column) => column.name)],
      rows: villages.map((village) => [
        village.villageName,
        ...columns.map((column) => num(column.of(village))),
      ]),
    },
    drawn,
    { horizontal: true },
  );
}

function money(figures: ProjectFigures, drawn: DrawnCharts): DashboardChart {
  const { committedFen, paidFen } = figures.summary;
  const budget = figures.budgetFen;
  const items = [
    { label: L.budget, fen: budget },
    { label: L.committed, fen: committedFen },
    { label: L.paidMoney, fen: paidFen },
  ];
  return chart(
    'money',
    L.money,
    items.map((item) => item.label),
    [{ name: L.yuan, values: items.map((item) => (item.fen ?? 0) / 100) }],
    {
      head: [L.item, L.yuan],
      rows: items.map((item) => [
        item.label,
        num(item.fen === null ? L.noBudget : formatYuan(item.fen)),
      ]),
    },
    drawn,
  );
}

function contractsByState(figures: ProjectFigures, drawn: DrawnCharts): DashboardChart {
  const entries = Object.entries(figures.summary.contractsByState).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  return chart(
    'contracts-by-state',
    L.contractsByState,
    entries.map(([state]) => stateLabel(state)),
    [{ name: L.contracts, values: entries.map(([, n]) => n) }],
    {
      head: [L.state, L.contracts],
      rows: entries.map(([state, n]) => [stateLabel(state), num(String(n))]),
    },
    drawn,
    { horizontal: true, counts: true },
  );
}

function noticesByVillage(figures: ProjectFigures, drawn: DrawnCharts): DashboardChart {
  const villages = figures.summary.villages;
  const zero = {
    runningNotices: 0,
    openObjections: 0,
    dismissedObjections: 0,
    upheldObjections: 0,
  };
  const keys = [
    ['runningNotices', L.runningNotices],
    ['openObjections', L.openObjections],
    ['dismissedObjections', L.dismissedObjections],
    ['upheldObjections', L.upheldObjections],
  ] as const;
  const of = (code: string) => figures.villageNotices[code] ?? zero;
  return chart(
    'notices-by-village',
    L.noticesByVillage,
    villages.map((village) => village.villageName),
    keys.map(([key, name]) => ({
      name,
      values: villages.map((village) => of(village.villageCode)[key]),
    })),
    {
      head: [L.village, ...keys.map(([, name]) => name)],
      rows: villages.map((village) => [
        village.villageName,
        ...keys.map(([key]) => num(String(of(village.villageCode)[key]))),
      ]),
    },
    drawn,
    { horizontal: true, counts: true },
  );
}

function satisfaction(figures: ProjectFigures, drawn: DrawnCharts): DashboardChart {
  const answers = [
    [L.satisfied, figures.summary.satisfaction.satisfied],
    [L.neutral, figures.summary.satisfaction.neutral],
    [L.dissatisfied, figures.summary.satisfaction.dissatisfied],
  ] as const;
  return chart(
    'satisfaction',
    L.satisfaction,
    answers.map(([label]) => label),
    [{ name: L.households, values: answers.map(([, n]) => n) }],
    {
      head: [L.answer, L.households],
      rows: answers.map(([label, n]) => [label, num(String(n))]),
    },
    drawn,
    { counts: true },
  );
}
