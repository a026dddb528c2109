import { Injectable } from '@nestjs/common';
import { contractError } from '../contracts/contracts.errors';
import { notFound } from '../../common/errors/domain-error';
import { formatMu, toHundredths } from '../../common/values/decimal-units';
import type { Actor } from '../auth/actor';
import { ContractTaskLine } from '../contracts/contract.entity';
import { ContractWorkflowService } from '../contracts/contract-workflow.service';
import { RegisterRow } from '../field-work/register-row.entity';
import type { NoticeOpenedDto, VerifyVillageDto } from './dto/notice.dto';
import { NoticesService } from './notices.service';
import { noticeError } from './notices.errors';
import { msg } from '../../common/i18n/message';

/**
 * Village verification (村核实认证): the village's verifier certifies each row's area (only ever
 * down; 0 = not served) and posts the 7-day notice in the work area.
 */
@Injectable()
export class VerificationService {
  constructor(
    private readonly workflow: ContractWorkflowService,
    private readonly notices: NoticesService,
  ) {}

  async verify(
    actor: Actor,
    contractId: string,
    taskCode: string,
    villageCode: string,
    dto: VerifyVillageDto,
    expectedVersion?: number,
  ): Promise<NoticeOpenedDto> {
    const result = await this.workflow.execute({
      contractId,
      actor,
      expectedVersion,
      prepare: async ({ manager, contract, now, write }) => {
        // Only the verifier of this very village; anyone else learns nothing about the part.
        if (actor.role !== 'admin' && actor.villageCode !== villageCode)
          throw notFound('Village part', `${taskCode}/${villageCode}`);
        if (!contract.villages?.some((village) => village.villageCode === villageCode)) {
          throw notFound('Village part', `${taskCode}/${villageCode}`);
        }
        const rows = await manager.find(RegisterRow, {
          where: { contractId, taskCode, villageCode, state: 'claimed' },
          order: { rowNo: 'ASC' },
        });
        const verified = new Map<string, number>();
        for (const [index, input] of (dto.rows ?? []).entries()) {
          const row = rows.find((candidate) => candidate.id === input.rowId);
          if (!row) {
            throw noticeError(
              'UNKNOWN_REGISTER_ROW',
              msg('verification.rowNotClaimed', { rowId: input.rowId, taskCode, villageCode }),
              {
                errors: [
                  {
                    field: `rows[${index}].rowId`,
                    message: msg('verification.rowNotClaimedField'),
                  },
                ],
              },
            );
          }
          const area = toHundredths(input.verifiedAreaMu) as number;
          if (area > row.area) {
            throw contractError(
              'AREA_ABOVE_PREVIOUS_STAGE',
              msg('verification.verifiedAboveClaimed', {
                rowNo: row.rowNo,
                plotCode: row.plotCode,
                verified: formatMu(area),
                claimed: formatMu(row.area),
              }),
              {
                errors: [
                  {
                    field: `rows[${index}].verifiedAreaMu`,
                    message: msg('area.atMost', { max: formatMu(row.area) }),
                  },
                ],
                row: row.rowNo,
              },
            );
          }
          verified.set(row.id, area);
        }
        // Nothing is written before the machine decides: the rows' verified areas, the notice and
        // its timer go into the transition's save, which runs only if the event is accepted.
        write({
          sql: `UPDATE register_row r SET verified_area = v.area
                  FROM unnest($1::uuid[], $2::int[]) AS v(id, area) WHERE r.id = v.id`,
          params: [rows.map((row) => row.id), rows.map((row) => verified.get(row.id) ?? row.area)],
        });
        const verifiedArea = rows.reduce((sum, row) => sum + (verified.get(row.id) ?? row.area), 0);
        const taskName =
          (await manager.findOneBy(ContractTaskLine, { contractId, taskCode }))?.taskName ??
          taskCode;
        const notice = this.notices.planNotice(contract, {
          kind: 'village',
          at: now,
          title: `${await this.notices.villageName(manager, villageCode)} ${taskName} 作业面积公示`,
          taskCode,
          villageCode,
        });
        notice.writes.forEach(write);
        if (dto.assessment) {
          write({
            sql: `INSERT INTO village_assessment (notice_id, contract_id, task_code, village_code, quality, note)
                  VALUES ($1, $2, $3, $4, $5, $6)`,
            params: [
              notice.id,
              contractId,
              taskCode,
              villageCode,
              dto.assessment.quality,
              dto.assessment.note?.trim() || null,
            ],
          });
        }
        return {
          type: 'village.verified',
          taskCode,
          villageCode,
          verifiedArea,
          noticeId: notice.id,
          noticeEndsAt: notice.endsAt.toISOString(),
        };
      },
    });
    const event = result.event as { noticeId: string; noticeEndsAt: string };
    // The state the village part has just entered, as the machine says.
    const { state } = result.next.context.taskLines[taskCode].villageParts[villageCode];
    return { state, noticeId: event.noticeId, endsAt: event.noticeEndsAt };
  }
}
