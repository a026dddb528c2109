import { Controller, Get, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { notFound } from '../../common/errors/domain-error';
import { Public } from '../auth/access.decorators';
import { DISTRICT_ROLES } from '../auth/roles';
import { CalculationService, perMuBasis } from '../contracts/calculation.service';
import { ContractsService } from '../contracts/contracts.service';
import { DeskRoles } from './desk-access';
import { DeskDashboardService } from './desk-dashboard.service';
import { DeskExceptionFilter, send } from './desk-exception.filter';
import { text } from './desk-forms';
import type { DeskRequest } from './desk-session';
import { DeskSessionGuard } from './desk-session.guard';
import {
  CALCULATION_LABELS as C,
  DASHBOARD_LABELS as L,
  ROLE_LABELS,
  SIGNER_LABELS,
  STAGE_LABELS,
  stateLabel,
} from './desk-strings';
import { DeskViews } from './desk-views';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const num = (value: string | number | null) => ({
  text: value === null ? '—' : String(value),
  num: true,
});

/**
 * The season at a glance (GET /desk/dashboard, district roles and the observer) and a contract's
 * calculation sheet (GET /desk/contracts/:id/calculation): pages over the same services as
 * GET /projects/:id/summary and GET /contracts/:id/calculation.
 */
@ApiExcludeController()
@Controller('desk')
@Public()
@UseGuards(DeskSessionGuard)
@UseFilters(DeskExceptionFilter)
export class DeskDashboardController {
  constructor(
    private readonly views: DeskViews,
    private readonly dashboards: DeskDashboardService,
    private readonly calculations: CalculationService,
    private readonly contracts: ContractsService,
  ) {}

  @Get('dashboard')
  @DeskRoles(...DISTRICT_ROLES)
  async dashboard(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Query('projectId') rawProjectId?: unknown,
  ): Promise<void> {
    const actor = request.actor!;
    const projectId = text(rawProjectId);
    if (projectId !== undefined && !UUID.test(projectId)) throw notFound('Project', projectId);
    // The picker's list and the project's figures are independent reads: side by side, so the
    // charts are drawn while the other query is still on its way.
    const [projects, shown] = await Promise.all([
      this.dashboards.projectChoices(actor),
      projectId ? this.dashboards.dashboard(actor, projectId) : undefined,
    ]);
    send(
      response,
      200,
      this.views.render(
        'dashboard',
        {
          title: shown ? `${L.title} · ${shown.projectName}` : L.title,
          L,
          wide: true,
          projects,
          projectId,
          projectName: shown?.projectName,
          projectYear: shown?.projectYear,
          charts: shown?.charts ?? [],
        },
        { actor, csrf: request.deskFormToken ?? '' },
      ),
    );
  }

  @Get('contracts/:id/calculation')
  async calculation(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id') id: string,
  ): Promise<void> {
    const actor = request.actor!;
    if (!UUID.test(id)) throw notFound('Contract', id);
    const sheet = await this.calculations.sheet(actor, id);
    const contract = await this.contracts.get(actor, id);
    const contractNo = contract.contractNo ?? '（未签）';
    // The stages up to the audit (a contract's sheet has no paid area of its own).
    const stages = Object.values(STAGE_LABELS).slice(0, 5);
    send(
      response,
      200,
      this.views.render(
        'calculation',
        {
          title: C.title(contractNo),
          L: C,
          wide: true,
          contractId: id,
          summary: [
            { term: '合同号', value: contractNo },
            { term: '状态', value: stateLabel(sheet.state) },
            {
              term: C.policy,
              value: sheet.policy
                ? `${sheet.policy.code}：${perMuBasis(sheet.policy)}`
                : C.noPolicy,
            },
            { term: C.capCut, value: sheet.capCutYuan === null ? '—' : `${sheet.capCutYuan} 元` },
            { term: C.total, value: sheet.subsidyYuan === null ? '—' : `${sheet.subsidyYuan} 元` },
          ],
          lineHead: [C.task, '状态', ...stages, C.unitPrice, C.perMu, C.amount],
          lines: sheet.taskLines.map((line) => [
            line.taskName,
            stateLabel(line.state),
            num(line.assignedAreaMu),
            num(line.claimedAreaMu),
            num(line.verifiedAreaMu),
            num(line.acceptedAreaMu),
            num(line.auditedAreaMu),
            num(line.unitPriceYuan),
            num(line.subsidyPerMuYuan),
            num(line.amountYuan),
          ]),
          formulas: sheet.taskLines
            .filter((line) => line.formula !== null)
            .map((line) => ({ task: line.taskName, text: line.formula })),
          notYet: sheet.taskLines.some((line) => line.formula === null),
          villageHead: [
            C.task,
            C.village,
            C.rows,
            STAGE_LABELS.claimed,
            STAGE_LABELS.verified,
            STAGE_LABELS.accepted,
          ],
          villages: sheet.taskLines.flatMap((line) =>
            line.villages.map((village) => [
              line.taskName,
              village.villageCode,
              num(village.rows),
              num(village.claimedAreaMu),
              num(village.verifiedAreaMu),
              num(village.acceptedAreaMu),
            ]),
          ),
          signerHead: [C.stage, C.task, C.village, C.name, ROLE_HEAD, C.decision, C.at],
          signers: sheet.signers.map((signer) => [
            SIGNER_STAGES[signer.stage] ?? signer.stage,
            signer.taskCode === null
              ? '—'
              : (sheet.taskLines.find((line) => line.taskCode === signer.taskCode)?.taskName ??
                signer.taskCode),
            signer.villageCode ?? '—',
            signer.name,
            signer.role
              ? (ROLE_LABELS[signer.role] ?? SIGNER_LABELS[signer.role] ?? signer.role)
              : '—',
            signer.decision ? (SIGNER_LABELS[signer.decision] ?? signer.decision) : '—',
            signer.at.slice(0, 10),
          ]),
        },
        { actor, csrf: request.deskFormToken ?? '' },
      ),
    );
  }
}

const ROLE_HEAD = '角色';
const SIGNER_STAGES: Record<string, string> = {
  'village verification': STAGE_LABELS.verified,
  'town acceptance': STAGE_LABELS.accepted,
  'district audit': STAGE_LABELS.audited,
};
