import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { formatMu, formatYuan } from '../../common/values/decimal-units';
import type { Actor } from '../auth/actor';
import { LIVE_CONTRACT_STATES, STATES_FROM_AUDITED } from '../contracts/machine/queries';
import { ProjectsService } from './projects.service';

export class SummaryTaskDto {
  @ApiProperty() taskCode!: string;
  @ApiProperty() taskName!: string;
  @ApiProperty() plannedAreaMu!: string;
  @ApiProperty() assignedAreaMu!: string;
  @ApiProperty({ description: 'Register rows not withdrawn' }) registeredAreaMu!: string;
  @ApiProperty() claimedAreaMu!: string;
  @ApiProperty() verifiedAreaMu!: string;
  @ApiProperty() acceptedAreaMu!: string;
  @ApiProperty() auditedAreaMu!: string;
  @ApiProperty() committedFen!: number;
  @ApiProperty() committedYuan!: string;
}

export class SummaryVillageDto {
  @ApiProperty() villageCode!: string;
  @ApiProperty() villageName!: string;
  @ApiProperty() registeredRows!: number;
  @ApiProperty() registeredAreaMu!: string;
  @ApiProperty() claimedAreaMu!: string;
  @ApiProperty() verifiedAreaMu!: string;
  @ApiProperty() acceptedAreaMu!: string;
}

/** The households' satisfaction from the district audit's visits (rows visited with an answer). */
export class SummarySatisfactionDto {
  @ApiProperty() satisfied!: number;
  @ApiProperty() neutral!: number;
  @ApiProperty() dissatisfied!: number;
}

export class ProjectSummaryDto {
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty({ type: [SummaryTaskDto] }) tasks!: SummaryTaskDto[];
  @ApiProperty({ type: [SummaryVillageDto] }) villages!: SummaryVillageDto[];
  @ApiProperty({ description: 'Subsidy of audited contracts (audited onward)' })
  committedFen!: number;
  @ApiProperty() committedYuan!: string;
  @ApiProperty({ description: 'Confirmed payouts' }) paidFen!: number;
  @ApiProperty() paidYuan!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { awarded: 1, paid: 2 },
  })
  contractsByState!: Record<string, number>;
  @ApiProperty({ type: SummarySatisfactionDto }) satisfaction!: SummarySatisfactionDto;
}

/**
 * The summary's statements, with their parameters (SUMMARY_PARAMETERS: $1 the project, then the
 * machine's state lists, machine/queries.ts), exported for the province benchmark, which runs the
 * same ones bare as its baseline (bench/province.ts).
 */
export const SUMMARY_SQL = {
  taskLines: `SELECT tl.task_code, sum(tl.assigned_area) AS assigned, coalesce(sum(tl.claimed_area), 0) AS claimed,
                -- verified and accepted from the village parts: a line's own total waits for its last village
                coalesce((SELECT sum(p.verified_area) FROM contract_village_part p JOIN contract c2 ON c2.id = p.contract_id
                           WHERE c2.project_id = $1 AND c2.state = ANY($2) AND p.task_code = tl.task_code), 0) AS verified,
                coalesce((SELECT sum(p.accepted_area) FROM contract_village_part p JOIN contract c2 ON c2.id = p.contract_id
                           WHERE c2.project_id = $1 AND c2.state = ANY($2) AND p.task_code = tl.task_code), 0) AS accepted,
                coalesce(sum(tl.audited_area), 0) AS audited,
                coalesce(sum(tl.amount_fen) FILTER (WHERE c.state = ANY($3)), 0) AS amount
           FROM contract_task_line tl JOIN contract c ON c.id = tl.contract_id
          WHERE c.project_id = $1 AND c.state = ANY($2) GROUP BY tl.task_code`,
  /** The register's GROUP BY: what grows with the project (the quality spec's baseline). */
  register: `SELECT task_code, village_code, count(*) AS n, sum(area) AS area FROM register_row
          WHERE project_id = $1 AND state <> 'withdrawn' GROUP BY task_code, village_code`,
  villageParts: `SELECT p.village_code, sum(p.claimed_area) AS claimed, coalesce(sum(p.verified_area), 0) AS verified,
                coalesce(sum(p.accepted_area), 0) AS accepted
           FROM contract_village_part p JOIN contract c ON c.id = p.contract_id
          WHERE c.project_id = $1 AND c.state = ANY($2) GROUP BY p.village_code`,
  villages: `SELECT r.code, r.name FROM project_village pv JOIN region r ON r.code = pv.village_code WHERE pv.project_id = $1 ORDER BY r.code`,
  states: `SELECT state, count(*) AS n, coalesce(sum(subsidy_fen) FILTER (WHERE state = ANY($2)), 0) AS committed
           FROM contract WHERE project_id = $1 GROUP BY state`,
  paidOut: `SELECT coalesce(sum(p.amount_fen), 0) AS paid FROM payout p JOIN contract c ON c.id = p.contract_id
          WHERE c.project_id = $1 AND p.state = 'confirmed'`,
  satisfaction: `SELECT v.satisfaction, count(*) AS n FROM audit_visit v
           JOIN audit_sample s ON s.id = v.sample_id JOIN contract c ON c.id = s.contract_id
          WHERE c.project_id = $1 AND c.state = ANY($2) AND v.satisfaction IS NOT NULL
          GROUP BY v.satisfaction`,
} as const;

export const SUMMARY_PARAMETERS: {
  readonly [K in keyof typeof SUMMARY_SQL]: (projectId: string) => unknown[];
} = {
  taskLines: (id) => [id, LIVE_CONTRACT_STATES, STATES_FROM_AUDITED],
  register: (id) => [id],
  villageParts: (id) => [id, LIVE_CONTRACT_STATES],
  villages: (id) => [id],
  states: (id) => [id, STATES_FROM_AUDITED],
  paidOut: (id) => [id],
  satisfaction: (id) => [id, LIVE_CONTRACT_STATES],
};

/**
 * What the desk's dashboard draws beyond the summary, in the same module and run in the same
 * batch as SUMMARY_SQL ($1 the project): the audited area of the task lines whose contract has a
 * confirmed payout (the area paid), and per village its running notices and its notices'
 * objections by outcome (a media notice's objection counts in the village of the row it names).
 */
export const DASHBOARD_SQL = {
  paidArea: `SELECT tl.task_code, coalesce(sum(tl.audited_area), 0) AS area
           FROM contract_task_line tl JOIN contract c ON c.id = tl.contract_id
          WHERE c.project_id = $1
            AND EXISTS (SELECT 1 FROM payout p WHERE p.contract_id = c.id AND p.state = 'confirmed')
          GROUP BY tl.task_code`,
  villageNotices: `SELECT v.village_code, sum(v.running) AS running, sum(v.open) AS open,
                sum(v.dismissed) AS dismissed, sum(v.upheld) AS upheld
           FROM (SELECT n.village_code, count(*) FILTER (WHERE n.state = 'running') AS running,
                        0 AS open, 0 AS dismissed, 0 AS upheld
                   FROM notice n JOIN contract c ON c.id = n.contract_id
                  WHERE c.project_id = $1 AND n.village_code IS NOT NULL GROUP BY n.village_code
                 UNION ALL
                 SELECT coalesce(n.village_code, r.village_code), 0,
                        count(*) FILTER (WHERE o.state = 'open'),
                        count(*) FILTER (WHERE o.state = 'dismissed'),
                        count(*) FILTER (WHERE o.state = 'upheld')
                   FROM objection o JOIN notice n ON n.id = o.notice_id
                   JOIN contract c ON c.id = n.contract_id
                   LEFT JOIN register_row r ON r.id = o.register_row_id
                  WHERE c.project_id = $1 AND coalesce(n.village_code, r.village_code) IS NOT NULL
                  GROUP BY 1) v
          GROUP BY v.village_code`,
} as const;

export interface VillageNoticeFigures {
  runningNotices: number;
  openObjections: number;
  dismissedObjections: number;
  upheldObjections: number;
}

/** The summary and the dashboard's extras, from one batch of statements. */
export interface ProjectFigures {
  summary: ProjectSummaryDto;
  projectName: string;
  projectYear: number;
  budgetFen: number | null;
  /** Task code → area paid (audited area of contracts with a confirmed payout). */
  paidAreaMu: Record<string, string>;
  /** Village code → its notices and objections (a village without any is absent). */
  villageNotices: Record<string, VillageNoticeFigures>;
}

/** The project at a glance, computed in SQL over indexed columns (fast on large registers). */
@Injectable()
export class ProjectSummaryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projects: ProjectsService,
  ) {}

  async summary(actor: Actor, projectId: string): Promise<ProjectSummaryDto> {
    return (await this.figures(actor, projectId, [])).summary;
  }

  /**
   * The summary and, for the desk's dashboard, the named extras: every number from one set of
   * statements (SUMMARY_SQL, DASHBOARD_SQL), run together, so the dashboard cannot disagree with
   * `GET /projects/:id/summary`.
   */
  async figures<E extends keyof typeof DASHBOARD_SQL>(
    actor: Actor,
    projectId: string,
    extras: readonly E[],
  ): Promise<ProjectFigures> {
    const project = await this.projects.load(this.dataSource.manager, projectId);
    await this.projects.assertVisible(actor, project);
    const query = <T>(name: keyof typeof SUMMARY_SQL): Promise<T[]> =>
      this.dataSource.query<T[]>(SUMMARY_SQL[name], SUMMARY_PARAMETERS[name](projectId));
    const extra = <T>(name: keyof typeof DASHBOARD_SQL): Promise<T[]> =>
      extras.includes(name as E)
        ? this.dataSource.query<T[]>(DASHBOARD_SQL[name], [projectId])
        : Promise.resolve([]);
    const [lines, registered, parts, villageRows, states, paid, answers, paidLines, notices] =
      await Promise.all([
        query<{
          task_code: string;
          assigned: string;
          claimed: string;
          verified: string;
          accepted: string;
          audited: string;
          amount: string;
        }>('taskLines'),
        query<{ task_code: string; village_code: string; n: string; area: string }>('register'),
        query<{ village_code: string; claimed: string; verified: string; accepted: string }>(
          'villageParts',
        ),
        query<{ code: string; name: string }>('villages'),
        query<{ state: string; n: string; committed: string }>('states'),
        query<{ paid: string }>('paidOut'),
        query<{ satisfaction: string; n: string }>('satisfaction'),
        extra<{ task_code: string; area: string }>('paidArea'),
        extra<{
          village_code: string;
          running: string;
          open: string;
          dismissed: string;
          upheld: string;
        }>('villageNotices'),
      ]);
    const answered = (satisfaction: string): number =>
      Number(answers.find((answer) => answer.satisfaction === satisfaction)?.n ?? 0);
    const area = (value: string | undefined): string => formatMu(Number(value ?? 0));
    const committedFen = states.reduce((sum, state) => sum + Number(state.committed), 0);
    const paidFen = Number(paid[0]?.paid ?? 0);
    const summary: ProjectSummaryDto = {
      projectId,
      tasks: (project.tasks ?? [])
        .sort((a, b) => a.code.localeCompare(b.code))
        .map((task) => {
          const line = lines.find((candidate) => candidate.task_code === task.code);
          const registeredArea = registered
            .filter((row) => row.task_code === task.code)
            .reduce((sum, row) => sum + Number(row.area), 0);
          return {
            taskCode: task.code,
            taskName: task.name,
            plannedAreaMu: formatMu(task.plannedArea),
            assignedAreaMu: area(line?.assigned),
            registeredAreaMu: formatMu(registeredArea),
            claimedAreaMu: area(line?.claimed),
            verifiedAreaMu: area(line?.verified),
            acceptedAreaMu: area(line?.accepted),
            auditedAreaMu: area(line?.audited),
            committedFen: Number(line?.amount ?? 0),
            committedYuan: formatYuan(Number(line?.amount ?? 0)),
          };
        }),
      villages: villageRows.map((village) => {
        const rows = registered.filter((row) => row.village_code === village.code);
        const part = parts.find((candidate) => candidate.village_code === village.code);
        return {
          villageCode: village.code,
          villageName: village.name,
          registeredRows: rows.reduce((sum, row) => sum + Number(row.n), 0),
          registeredAreaMu: formatMu(rows.reduce((sum, row) => sum + Number(row.area), 0)),
          claimedAreaMu: area(part?.claimed),
          verifiedAreaMu: area(part?.verified),
          acceptedAreaMu: area(part?.accepted),
        };
      }),
      committedFen,
      committedYuan: formatYuan(committedFen),
      paidFen,
      paidYuan: formatYuan(paidFen),
      contractsByState: Object.fromEntries(states.map((state) => [state.state, Number(state.n)])),
      satisfaction: {
        satisfied: answered('satisfied'),
        neutral: answered('neutral'),
        dissatisfied: answered('dissatisfied'),
      },
    };
    return {
      summary,
      projectName: project.name,
      projectYear: project.year,
      budgetFen: project.budgetFen,
      paidAreaMu: Object.fromEntries(
        paidLines.map((line) => [line.task_code, formatMu(Number(line.area))]),
      ),
      villageNotices: Object.fromEntries(
        notices.map((row) => [
          row.village_code,
          {
            runningNotices: Number(row.running),
            openObjections: Number(row.open),
            dismissedObjections: Number(row.dismissed),
            upheldObjections: Number(row.upheld),
          },
        ]),
      ),
    };
  }
}
