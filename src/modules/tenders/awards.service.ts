import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { shanghaiDate } from '../../common/clock/shanghai-date';
import { assertInScope } from '../auth/scope-policy';
import type { Actor } from '../auth/actor';
import { ContractsService } from '../contracts/contracts.service';
import { DirectoryService } from '../organisations/directory.service';
import { PoliciesService } from '../policies/policies.service';
import { ProjectsService } from '../projects/projects.service';
import type { AwardLotDto, AwardResultDto } from './dto/bid.dto';
import { Award, Bid } from './tender.entity';
import { TendersService } from './tenders.service';
import { tenderError } from './tenders.errors';
import { msg } from '../../common/i18n/message';

/** The award of a lot (中标): one per lot, to a bid of that lot; it creates the contract. */
@Injectable()
export class AwardsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenders: TendersService,
    private readonly projects: ProjectsService,
    private readonly contracts: ContractsService,
    private readonly policies: PoliciesService,
    private readonly directory: DirectoryService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async award(actor: Actor, tenderId: string, dto: AwardLotDto): Promise<AwardResultDto> {
    return this.dataSource.transaction(async (manager) => {
      // The tender's row lock serialises awards: two awards of one lot cannot both pass the check.
      const tender = await this.tenders.lock(manager, tenderId);
      assertInScope(actor, { districtCodes: [tender.districtCode] }, 'Tender', tenderId);
      if (tender.state !== 'opened')
        throw tenderError('TENDER_NOT_OPENED', msg('tender.awardBeforeOpening'));
      const lot = (tender.lots ?? []).find((candidate) => candidate.code === dto.lotCode);
      if (!lot)
        throw tenderError(
          'UNKNOWN_LOT',
          msg('tender.unknownLot', { tenderId, lotCode: dto.lotCode }),
          'lotCode',
        );
      const existing = await manager.findOneBy(Award, { lotId: lot.id });
      if (existing) {
        throw tenderError(
          'LOT_ALREADY_AWARDED',
          msg('tender.lotAwarded', {
            lotCode: lot.code,
            awardedOn: existing.awardedOn,
            contractId: existing.contractId,
          }),
        );
      }
      const bid = await manager.findOneBy(Bid, { id: dto.bidId });
      if (!bid || bid.lotId !== lot.id) {
        throw tenderError(
          'BID_NOT_IN_LOT',
          msg('tender.bidNotInLot', { bidId: dto.bidId, lotCode: lot.code }),
          'bidId',
        );
      }
      const project = await this.projects.load(manager, tender.projectId);
      if (dto.workDeadline < project.serviceStart || dto.workDeadline > project.serviceEnd) {
        throw tenderError(
          'DEADLINE_OUTSIDE_SERVICE_WINDOW',
          msg('tender.deadlineOutsideWindow', {
            start: project.serviceStart,
            end: project.serviceEnd,
          }),
          'workDeadline',
        );
      }
      // A client date is checked against the other dates of the season, never against today:
      // a 2019 season is recorded in 2026 with its 2019 award notice.
      const awardedOn = dto.awardedOn ?? shanghaiDate(this.clock.now());
      if (
        dto.awardedOn !== undefined &&
        (dto.awardedOn < tender.openingOn || dto.awardedOn > dto.workDeadline)
      ) {
        throw tenderError(
          'AWARD_DATE_INVALID',
          msg('tender.awardDateInvalid', {
            openingOn: tender.openingOn,
            workDeadline: dto.workDeadline,
          }),
          'awardedOn',
        );
      }

      // The district's policy in force on the project's serviceStart is pinned on the contract;
      // the organisation must be eligible on the opening day under it (api.md).
      const policy = await this.policies.inForce(
        manager,
        project.districtCode,
        project.serviceStart,
      );
      await this.directory.assertEligible(manager, bid.organisationId, tender.openingOn, policy);

      const contract = await this.contracts.createFromAward(manager, actor, {
        project,
        tenderId,
        lotId: lot.id,
        lotCode: lot.code,
        villageCodes: lot.villageCodes,
        organisationId: bid.organisationId,
        tasks: (lot.tasks ?? []).map((task) => ({
          taskCode: task.taskCode,
          area: task.area,
          unitPriceFen: bid.prices[task.taskCode],
        })),
        workDeadline: dto.workDeadline,
        awardedOn,
        policy,
      });
      await manager.insert(Award, {
        tenderId,
        lotId: lot.id,
        bidId: bid.id,
        contractId: contract.id,
        workDeadline: dto.workDeadline,
        awardedOn,
        awardedOnGiven: dto.awardedOn !== undefined,
        awardedBy: actor.id,
      });
      await this.tenders.recordEvent(manager, actor, tender, 'lot.awarded', {
        lotCode: lot.code,
        bidId: bid.id,
        organisationId: bid.organisationId,
        contractId: contract.id,
        workDeadline: dto.workDeadline,
        awardedOn,
      });
      return { contractId: contract.id, state: contract.state };
    });
  }
}
