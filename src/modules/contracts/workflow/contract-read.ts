import { type EntityManager } from 'typeorm';

import { notFound } from '../../../common/errors/domain-error';

import { runPrepared } from '../../../database/statement';

import { Contract, ContractVillage } from '../contract.entity';

import type { CommandTarget } from './command';

const READ_CONTRACT = (where: string) =>
  `SELECT c.id, c.project_id AS "projectId", c.tender_id AS "tenderId", c.lot_id AS "lotId",
          c.lot_code AS "lotCode", c.organisation_id AS "organisationId",
          c.district_code AS "districtCode", c.state, c.version, c.snapshot,
          c.machine_version AS "machineVersion", c.work_deadline::text AS "workDeadline",
          c.awarded_on::text AS "awardedOn", c.contract_no AS "contractNo",
          c.signed_on::text AS "signedOn", c.subsidy_fen AS "subsidyFen",
          c.policy_id AS "policyId", c.cap_cut_fen AS "capCutFen",
          c.created_at AS "createdAt", c.updated_at AS "updatedAt",
          (SELECT coalesce(json_agg(json_build_object('contractId', v.contract_id,
                     'villageCode', v.village_code, 'townCode', v.town_code)
                   ORDER BY v.village_code), '[]')
             FROM contract_village v WHERE v.contract_id = c.id) AS villages
     FROM contract c WHERE ${where}`;
const BY_ID = 'c.id = $1';
const BY_NOTICE = 'c.id = (SELECT contract_id FROM notice WHERE id = $1)';
const READ = {
  locked: {
    byId: `${READ_CONTRACT(BY_ID)} FOR UPDATE OF c`,
    byNotice: `${READ_CONTRACT(BY_NOTICE)} FOR UPDATE OF c`,
  },
  optimistic: { byId: READ_CONTRACT(BY_ID), byNotice: READ_CONTRACT(BY_NOTICE) },
};

/** Reads the contract with its villages, locking its row unless optimistic: one statement. */
export async function readContract(
  manager: EntityManager,
  target: CommandTarget,
  mode: 'locked' | 'optimistic',
): Promise<Contract> {
  const rows = await runPrepared<
    Omit<Contract, 'subsidyFen' | 'capCutFen'> & {
      subsidyFen: string | null;
      capCutFen: string | null;
    }
  >(
    manager,
    'noticeId' in target
      ? { sql: READ[mode].byNotice, params: [target.noticeId] }
      : { sql: READ[mode].byId, params: [target.contractId] },
  );
  if (rows.length === 0) {
    throw 'noticeId' in target
      ? notFound('Notice', target.noticeId)
      : notFound('Contract', target.contractId);
  }
  const [row] = rows;
  return Object.assign(new Contract(), row, {
    subsidyFen: row.subsidyFen === null ? null : Number(row.subsidyFen),
    capCutFen: row.capCutFen === null ? null : Number(row.capCutFen),
    villages: (row.villages ?? []).map((village) => Object.assign(new ContractVillage(), village)),
  });
}

/**
 * An optimistic save that lost a race: the contract's version moved (`expect_one_row` raised
 * serialization_failure), or a racing command took the same history number first.
 */
export function isWriteConflict(error: unknown): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === '40001' || (code === '23505' && constraint === 'contract_history_pkey');
}
