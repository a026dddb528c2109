import type { Actor } from '../auth/actor';
import type { Role } from '../auth/roles';
import type { AuditBureau, ContractContext } from '../contracts/machine/contract.types';
import { sampleComplete } from '../contracts/machine/contract-context';
import { WAITS_IN, auditAwaitsBureau } from '../contracts/machine/queries';

/** Every kind of to-do item (api.md, "To-do list"). */
export const WORK_ITEM_KINDS = [
  'register',
  'claim',
  'verify',
  'objection',
  'acceptance.open',
  'acceptance.sign',
  'contract.sign',
  'audit.sample',
  'audit.approve',
  'mediaNotice.open',
  'payout.issue',
  'batch.result',
] as const;
export type WorkItemKind = (typeof WORK_ITEM_KINDS)[number];

/**
 * One kind's query. Every query answers the same columns (`kind`, `contract_id`, `contract_no`,
 * `organisation_name`, `task_code`, `village_code`, `record_id`, `objection_id`, `payout_id`,
 * `batch_id`, `since`, `due_at`, and `snapshot` when `keep` needs it); the states it waits in are
 * the machine's (`WAITS_IN`), passed as parameters.
 */
export interface WorkItemQuery {
  kind: WorkItemKind;
  sql: string;
  params: (actor: Actor) => unknown[];
  /** A question the SQL cannot ask (the snapshot's audit approvals): keep the row? */
  keep?: (row: { snapshot: { context: ContractContext } | null }) => boolean;
}

/** The columns a kind does not have. */
const NONE = `NULL::varchar AS task_code, NULL::varchar AS village_code, NULL::uuid AS record_id,
  NULL::uuid AS objection_id, NULL::uuid AS payout_id, NULL::uuid AS batch_id, NULL::json AS snapshot`;

/** When the contract (task line, village part) entered the state it is in: its last history row. */
function enteredAt(contract: string, taskCode: string, villageCode: string, state: string): string {
  return `coalesce((SELECT max(h.at) FROM contract_history h WHERE h.contract_id = ${contract}.id
    AND h.task_code IS NOT DISTINCT FROM ${taskCode} AND h.village_code IS NOT DISTINCT FROM ${villageCode}
    AND h.to_state = ${state}), ${contract}.created_at)`;
}

const CONTRACT_COLUMNS = `c.id AS contract_id, c.contract_no, o.name AS organisation_name`;
const CONTRACT_FROM = `contract c JOIN organisation o ON o.id = c.organisation_id`;
/** The contract `c` has a village in the town given as parameter `param`. */
function inTown(param: string): string {
  return `EXISTS (SELECT 1 FROM contract_village cv WHERE cv.contract_id = c.id AND cv.town_code = ${param})`;
}

/** A contract in one of the states `$1`, in the caller's district. */
function contractWaits(kind: WorkItemKind, states: readonly string[]): WorkItemQuery {
  return {
    kind,
    sql: `SELECT '${kind}' AS kind, ${CONTRACT_COLUMNS}, ${NONE.replace('NULL::json AS snapshot', 'c.snapshot')},
            ${enteredAt('c', 'NULL', 'NULL', 'c.state')} AS since, NULL::timestamptz AS due_at
          FROM ${CONTRACT_FROM} WHERE c.state = ANY($1) AND c.district_code = $2`,
    params: (actor) => [states, actor.districtCode],
  };
}

function auditApproval(bureau: AuditBureau): WorkItemQuery {
  return {
    ...contractWaits('audit.approve', WAITS_IN.auditApprove),
    keep: (row) => row.snapshot !== null && auditAwaitsBureau(row.snapshot.context, bureau),
  };
}

/**
 * In the district audit under a policy that asks for an audit sample (issue 24), while the sample
 * is not drawn or not every sampled row visited: the first approval waits on it.
 */
function auditSample(): WorkItemQuery {
  const waits = contractWaits('audit.sample', WAITS_IN.auditApprove);
  return {
    ...waits,
    sql: `${waits.sql} AND EXISTS (SELECT 1 FROM subsidy_policy p WHERE p.id = c.policy_id
            AND p.audit_sample_rate_basis_points IS NOT NULL)`,
    keep: (row) => row.snapshot !== null && !sampleComplete(row.snapshot.context),
  };
}

/**
 * What waits on each role. To add a kind: name it in WORK_ITEM_KINDS, write its query here (its
 * states asked of the machine's `WAITS_IN`), and list it under the roles it waits on.
 */
export const WORK_ITEM_QUERIES: Record<Role, readonly WorkItemQuery[]> = {
  cooperative: [
    {
      kind: 'register',
      sql: `SELECT 'register' AS kind, ${CONTRACT_COLUMNS}, ${NONE},
              ${enteredAt('c', 'NULL', 'NULL', 'c.state')} AS since, NULL::timestamptz AS due_at
            FROM ${CONTRACT_FROM} WHERE c.state = ANY($1) AND c.organisation_id = $2`,
      params: (actor) => [WAITS_IN.register, actor.organisationId],
    },
    {
      kind: 'claim',
      sql: `SELECT 'claim' AS kind, ${CONTRACT_COLUMNS}, tl.task_code, NULL::varchar AS village_code,
              NULL::uuid AS record_id, NULL::uuid AS objection_id, NULL::uuid AS payout_id,
              NULL::uuid AS batch_id, NULL::json AS snapshot,
              ${enteredAt('c', 'tl.task_code', 'NULL', 'tl.state')} AS since, NULL::timestamptz AS due_at
            FROM ${CONTRACT_FROM} JOIN contract_task_line tl ON tl.contract_id = c.id
            WHERE tl.state = ANY($1) AND c.organisation_id = $2`,
      params: (actor) => [WAITS_IN.claim, actor.organisationId],
    },
  ],
  village_verifier: [
    {
      kind: 'verify',
      sql: `SELECT 'verify' AS kind, ${CONTRACT_COLUMNS}, vp.task_code, vp.village_code,
              NULL::uuid AS record_id, NULL::uuid AS objection_id, NULL::uuid AS payout_id,
              NULL::uuid AS batch_id, NULL::json AS snapshot,
              ${enteredAt('c', 'vp.task_code', 'vp.village_code', 'vp.state')} AS since,
              NULL::timestamptz AS due_at
            FROM ${CONTRACT_FROM} JOIN contract_village_part vp ON vp.contract_id = c.id
            WHERE vp.state = ANY($1) AND vp.village_code = $2`,
      params: (actor) => [WAITS_IN.verify, actor.villageCode],
    },
    {
      kind: 'objection',
      sql: `SELECT 'objection' AS kind, ${CONTRACT_COLUMNS}, n.task_code, n.village_code,
              NULL::uuid AS record_id, ob.id AS objection_id, NULL::uuid AS payout_id,
              NULL::uuid AS batch_id, NULL::json AS snapshot, ob.created_at AS since, n.ends_at AS due_at
            FROM objection ob JOIN notice n ON n.id = ob.notice_id JOIN ${CONTRACT_FROM} ON c.id = n.contract_id
            WHERE ob.state = 'open' AND n.kind = 'village' AND n.village_code = $1`,
      params: (actor) => [actor.villageCode],
    },
  ],
  town_acceptor: [
    {
      kind: 'acceptance.open',
      sql: `SELECT 'acceptance.open' AS kind, ${CONTRACT_COLUMNS}, tl.task_code, NULL::varchar AS village_code,
              NULL::uuid AS record_id, NULL::uuid AS objection_id, NULL::uuid AS payout_id,
              NULL::uuid AS batch_id, NULL::json AS snapshot,
              ${enteredAt('c', 'tl.task_code', 'NULL', 'tl.state')} AS since, NULL::timestamptz AS due_at
            FROM ${CONTRACT_FROM} JOIN contract_task_line tl ON tl.contract_id = c.id
            WHERE tl.state = ANY($1) AND ${inTown('$2')}
              AND NOT EXISTS (SELECT 1 FROM acceptance_record r WHERE r.contract_id = c.id
                AND r.task_code = tl.task_code AND r.state IN ('open', 'failed'))`,
      params: (actor) => [WAITS_IN.acceptanceOpen, actor.townCode],
    },
    {
      kind: 'acceptance.sign',
      sql: `SELECT 'acceptance.sign' AS kind, ${CONTRACT_COLUMNS}, r.task_code, NULL::varchar AS village_code,
              r.id AS record_id, NULL::uuid AS objection_id, NULL::uuid AS payout_id,
              NULL::uuid AS batch_id, NULL::json AS snapshot, r.created_at AS since, NULL::timestamptz AS due_at
            FROM acceptance_record r JOIN ${CONTRACT_FROM} ON c.id = r.contract_id
            WHERE r.state = 'open' AND ${inTown('$1')}
              AND NOT EXISTS (SELECT 1 FROM acceptance_signature s WHERE s.record_id = r.id AND s.user_id = $2)`,
      params: (actor) => [actor.townCode, actor.id],
    },
  ],
  district_agri: [
    contractWaits('contract.sign', WAITS_IN.contractSign),
    auditSample(),
    auditApproval('agriculture'),
    contractWaits('mediaNotice.open', WAITS_IN.mediaNoticeOpen),
    {
      kind: 'objection',
      sql: `SELECT 'objection' AS kind, ${CONTRACT_COLUMNS}, ${NONE.replace('NULL::uuid AS objection_id', 'ob.id AS objection_id')},
              ob.created_at AS since, n.ends_at AS due_at
            FROM objection ob JOIN notice n ON n.id = ob.notice_id JOIN ${CONTRACT_FROM} ON c.id = n.contract_id
            WHERE ob.state = 'open' AND n.kind = 'media' AND n.district_code = $1`,
      params: (actor) => [actor.districtCode],
    },
  ],
  district_finance: [
    auditApproval('finance'),
    contractWaits('payout.issue', WAITS_IN.payoutIssue),
    {
      kind: 'batch.result',
      sql: `SELECT 'batch.result' AS kind, NULL::uuid AS contract_id, NULL::varchar AS contract_no,
              NULL::varchar AS organisation_name, ${NONE.replace('NULL::uuid AS batch_id', 'b.id AS batch_id')},
              b.created_at AS since, NULL::timestamptz AS due_at
            FROM payment_batch b WHERE b.state = 'sent' AND b.district_code = $1`,
      params: (actor) => [actor.districtCode],
    },
  ],
  observer: [],
  admin: [],
};
