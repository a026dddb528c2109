/**
 * The province's rows, generated in memory for COPY (bench only; bench/support/province.ts
 * loads them). Deterministic: the same settings give the same rows, ids included.
 *
 * Every contract is driven through the real, pure machine (`decide()` of contract-lifecycle.ts)
 * with the events of its target state, so its snapshot, its task lines and village parts, its
 * history rows (`historyOf`, as the workflow writes them) and its audit rows agree, as if the app
 * had written them. Areas are integer hundredths of a mu, money integer fen.
 */
import { createHash } from 'node:crypto';
import { render } from '../../src/common/i18n/message';
import { identifierKey } from '../../src/common/values/identifier';
import { canonicalJson } from '../../src/common/values/canonical-json';
import { eventBodySha256 } from '../../src/modules/audit-log/audit-chain';
import {
  decide,
  initialContract,
  type PersistedContract,
} from '../../src/modules/contracts/machine/contract-lifecycle';
import type {
  ContractEvent,
  ContractState,
} from '../../src/modules/contracts/machine/contract.types';
import { historyOf, writtenReasons } from '../../src/modules/contracts/workflow/contract-history';
import { creditCodeCheckCharacter } from '../../src/modules/organisations/credit-code';
import { residentId } from '../../test/factories/register-rows';

export interface ProvinceSettings {
  districts: number;
  townsPerDistrict: number;
  villagesPerTown: number;
  /** Lots = contracts per district, two villages × the three tasks each. */
  contractsPerDistrict: number;
  registerRows: number;
  /** Share of the register rows in district 1's project (the pilot), the rest spread evenly. */
  pilotShare: number;
  /** Day 0 of the season (signing), epoch ms: 30 days before the load, so its running notices run. */
  t0: number;
}

export const TASKS = [
  { code: 'wheat_harvest', name: '小麦机收', priceFen: 6367 },
  { code: 'straw_crushing', name: '秸秆粉碎灭茬', priceFen: 1933 },
  { code: 'corn_seeding', name: '玉米播种', priceFen: 2433 },
] as const;

/** Per district, in lot order: how many contracts end in each state (scaled to the lot count). */
const STATE_MIX: [ContractState, number][] = [
  ['awarded', 4],
  ['contracted', 4],
  ['inService', 8],
  ['districtAudit', 4],
  ['audited', 4],
  ['mediaNotice', 4],
  ['payable', 4],
  ['payoutIssued', 3],
  ['paid', 4],
  ['terminated', 1],
];
const HAS_ROWS = new Set<ContractState>(STATE_MIX.map(([state]) => state));
HAS_ROWS.delete('awarded');
HAS_ROWS.delete('contracted');

export const districtCode = (d: number): string => String(350000 + d);
const townCode = (d: number, t: number): string => `${districtCode(d)}${100 + t}`;
const villageCode = (d: number, t: number, v: number): string => `${townCode(d, t)}${200 + v}`;

/** A UUID derived from a name, so that a reload gives the same ids. */
export function uuidOf(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export type Row = (string | number | boolean | null)[];
export type Tables = Map<string, { columns: string[]; rows: Row[] }>;

function table(tables: Tables, name: string, columns: string): Row[] {
  let entry = tables.get(name);
  if (!entry) {
    entry = { columns: columns.split(',').map((column) => column.trim()), rows: [] };
    tables.set(name, entry);
  }
  return entry.rows;
}

/** Regions, organisations and users of the whole province (users share one password hash). */
export function regionsAndPeople(settings: ProvinceSettings, passwordHash: string): Tables {
  const tables: Tables = new Map();
  const regions = table(
    tables,
    'region',
    'code, name, level, parent_code, district_code, town_code',
  );
  const organisations = table(
    tables,
    'organisation',
    'id, name, credit_code, legal_representative, grade, bank_name, bank_account_name, bank_account_no',
  );
  const users = table(
    tables,
    'app_user',
    'id, username, password_hash, display_name, role, organisation_id, region_code, acceptance_role',
  );
  const grades = ['national', 'provincial', 'municipal', 'none', 'none'];
  for (let d = 1; d <= settings.districts; d++) {
    const district = districtCode(d);
    regions.push([district, `省测${d}区`, 'district', null, district, null]);
    for (let t = 1; t <= settings.townsPerDistrict; t++) {
      regions.push([
        townCode(d, t),
        `省测${d}区${t}镇`,
        'town',
        district,
        district,
        townCode(d, t),
      ]);
      for (let v = 1; v <= settings.villagesPerTown; v++) {
        const code = villageCode(d, t, v);
        regions.push([
          code,
          `省测${d}区${t}镇${v}村`,
          'village',
          townCode(d, t),
          district,
          townCode(d, t),
        ]);
      }
    }
    for (let o = 1; o <= 5; o++) {
      const first17 = `9135${district.slice(2)}${String(d * 10 + o).padStart(7, '0')}`;
      const name = `省测${d}区第${o}农机专业合作社`;
      organisations.push([
        uuidOf(`org-${d}-${o}`),
        name,
        first17 + creditCodeCheckCharacter(first17),
        '王建国',
        grades[o - 1],
        '农村商业银行',
        name,
        `6222${district}${String(o).padStart(6, '0')}`,
      ]);
    }
    for (const [name, role] of [
      ['agri', 'district_agri'],
      ['finance', 'district_finance'],
      ['approver', 'district_finance'],
      ['observer', 'observer'],
    ]) {
      const username = `${name}-${district}`;
      users.push([uuidOf(username), username, passwordHash, username, role, null, district, null]);
    }
  }
  return tables;
}

/**
 * Every contract of district `d`, its project, tender and all that hangs from them, pushed into
 * `tables`; yields after each contract so that the caller can flush what is buffered.
 */
export function* districtRows(
  settings: ProvinceSettings,
  d: number,
  tables: Tables,
): Generator<void> {
  const district = districtCode(d);
  const villages: { code: string; town: string }[] = [];
  for (let t = 1; t <= settings.townsPerDistrict; t++)
    for (let v = 1; v <= settings.villagesPerTown; v++)
      villages.push({ code: villageCode(d, t, v), town: townCode(d, t) });
  const lots = settings.contractsPerDistrict;
  const states = stateOfLots(lots);
  const withRows = states.filter((state) => HAS_ROWS.has(state)).length;
  const districtRowsTotal =
    d === 1
      ? Math.round(settings.registerRows * settings.pilotShare)
      : Math.round((settings.registerRows * (1 - settings.pilotShare)) / (settings.districts - 1));
  const rowsPerContract = Math.max(6, Math.round(districtRowsTotal / withRows / 6) * 6);

  const projectId = uuidOf(`project-${d}`);
  const tenderId = uuidOf(`tender-${d}`);
  const agriId = uuidOf(`agri-${district}`);
  const financeId = uuidOf(`finance-${district}`);
  const organisationIds = [1, 2, 3, 4, 5].map((o) => uuidOf(`org-${d}-${o}`));
  table(
    tables,
    'project',
    'id, code, name, year, district_code, service_start, service_end, budget_fen, created_by',
  ).push([
    projectId,
    `SC-${district}`,
    `省测${d}区2015年农业生产社会化服务项目`,
    new Date(settings.t0).getUTCFullYear(),
    district,
    dateOf(settings.t0, DAY.awarded),
    dateOf(settings.t0, DAY.deadline),
    null,
    agriId,
  ]);
  for (const village of villages)
    table(tables, 'project_village', 'project_id, village_code').push([projectId, village.code]);
  table(
    tables,
    'tender',
    'id, project_id, district_code, method, published_in, published_on, opening_on, state, opened_at',
  ).push([
    tenderId,
    projectId,
    district,
    'invited',
    '《亳州晚报》',
    dateOf(settings.t0, DAY.published),
    dateOf(settings.t0, DAY.opening),
    'opened',
    instant(settings.t0, DAY.opening),
  ]);
  for (const organisationId of organisationIds)
    table(tables, 'tender_invitation', 'tender_id, organisation_id').push([
      tenderId,
      organisationId,
    ]);

  const planned = new Map<string, number>(TASKS.map((task) => [task.code, 0]));
  for (let lot = 1; lot <= lots; lot++) {
    const lotVillages = [
      villages[(2 * lot - 2) % villages.length],
      villages[(2 * lot - 1) % villages.length],
    ];
    const state = states[lot - 1];
    const rows = HAS_ROWS.has(state) ? rowsPerContract : 0;
    const areas = rowAreas(`${d}-${lot}`, rows);
    const assigned = TASKS.map((_, k) => {
      const sum = areas.slice((k * rows) / 3, ((k + 1) * rows) / 3).reduce((a, b) => a + b, 0);
      return Math.max(500_000, Math.ceil((sum * 1.1) / 100) * 100);
    });
    TASKS.forEach((task, k) => planned.set(task.code, planned.get(task.code)! + assigned[k]));
    contractOfLot(tables, settings, {
      d,
      lot,
      state,
      district,
      projectId,
      tenderId,
      agriId,
      financeId,
      organisationId: organisationIds[(lot - 1) % 5],
      villages: lotVillages,
      assigned,
      areas,
    });
    yield;
  }
  for (const task of TASKS)
    table(tables, 'project_task', 'project_id, code, name, planned_area').push([
      projectId,
      task.code,
      task.name,
      planned.get(task.code)!,
    ]);
}

function stateOfLots(lots: number): ContractState[] {
  const total = STATE_MIX.reduce((sum, [, n]) => sum + n, 0);
  const states: ContractState[] = [];
  for (let lot = 0; lot < lots; lot++) {
    let slot = Math.floor((lot * total) / lots);
    for (const [state, n] of STATE_MIX) {
      if (slot < n) {
        states.push(state);
        break;
      }
      slot -= n;
    }
  }
  return states;
}

/** Areas of 2.00–9.99 mu (hundredths), deterministic per contract. */
function rowAreas(seed: string, count: number): number[] {
  let x = parseInt(createHash('sha1').update(seed).digest('hex').slice(0, 8), 16) || 1;
  return Array.from({ length: count }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return 200 + (x % 800);
  });
}

interface LotSpec {
  d: number;
  lot: number;
  state: ContractState;
  district: string;
  projectId: string;
  tenderId: string;
  agriId: string;
  financeId: string;
  organisationId: string;
  villages: { code: string; town: string }[];
  /** Per task (TASKS order), hundredths of a mu. */
  assigned: number[];
  /** The register rows' areas: a third per task, each third half per village. */
  areas: number[];
}

const SIGNERS = [
  ['s1', 'technical_guidance'],
  ['s2', 'township_leader'],
  ['s3', 'station_head'],
  ['s4', 'farmer_supervisor'],
  ['s5', 'technical_guidance'],
] as const;

/** An instant `n` days after the season's day 0 (ISO), and its date (YYYY-MM-DD). */
const instant = (t0: number, n: number): string => new Date(t0 + n * 86_400_000).toISOString();
const dateOf = (t0: number, n: number): string => instant(t0, n).slice(0, 10);

/** Days of the season (day 0 = signing); the season ends 30 days before the load (see province.ts). */
const DAY = {
  published: -7,
  opening: -2,
  awarded: -1,
  signed: 0,
  started: 1,
  claimed: 10,
  verified: 12,
  accepted: 21,
  approvedAgri: 22,
  approvedFinance: 23,
  mediaNotice: 24,
  payoutIssued: 32,
  confirmed: 33,
  /** The contracts still in service: verified on day 28, so their notices run at the load. */
  runningVerified: 28,
  runningMedia: 29,
  deadline: 120,
} as const;

interface Stage {
  event: ContractEvent;
  actorId: string | null;
  actorUsername: string | null;
}

/** The states a contract passes through, in order (STATE_MIX lists them so, then `terminated`). */
const ORDER: ContractState[] = STATE_MIX.map(([state]) => state).filter(
  (state) => state !== 'terminated',
);

function contractOfLot(tables: Tables, settings: ProvinceSettings, spec: LotSpec): void {
  const { d, lot, district, state } = spec;
  const t0 = settings.t0;
  const lotCode = `L${String(lot).padStart(2, '0')}`;
  const contractId = uuidOf(`contract-${d}-${lot}`);
  const lotId = uuidOf(`lot-${d}-${lot}`);
  const bidId = uuidOf(`bid-${d}-${lot}`);
  const villageCodes = spec.villages.map((village) => village.code);
  table(tables, 'lot', 'id, tender_id, code, village_codes').push([
    lotId,
    spec.tenderId,
    lotCode,
    `{${villageCodes.join(',')}}`,
  ]);
  TASKS.forEach((task, k) =>
    table(tables, 'lot_task', 'lot_id, task_code, area').push([lotId, task.code, spec.assigned[k]]),
  );
  table(tables, 'bid', 'id, tender_id, lot_id, organisation_id, prices, submitted_at').push([
    bidId,
    spec.tenderId,
    lotId,
    spec.organisationId,
    JSON.stringify(Object.fromEntries(TASKS.map((task) => [task.code, task.priceFen]))),
    instant(t0, DAY.opening - 1),
  ]);
  table(
    tables,
    'award',
    'id, tender_id, lot_id, bid_id, contract_id, work_deadline, awarded_on, awarded_by, awarded_on_given',
  ).push([
    uuidOf(`award-${d}-${lot}`),
    spec.tenderId,
    lotId,
    bidId,
    contractId,
    dateOf(t0, DAY.deadline),
    dateOf(t0, DAY.awarded),
    spec.agriId,
    true,
  ]);
  for (const village of spec.villages)
    table(tables, 'contract_village', 'contract_id, village_code, town_code').push([
      contractId,
      village.code,
      village.town,
    ]);

  // The register: per task a third of the rows, alternating between the two villages.
  const third = spec.areas.length / 3;
  const rowsOf = (k: number, v: number): { area: number; n: number }[] =>
    spec.areas
      .slice(k * third, (k + 1) * third)
      .map((area, i) => ({ area, n: k * third + i }))
      .filter((_, i) => i % 2 === v);
  const claimedOf = (k: number, v: number): number =>
    rowsOf(k, v).reduce((sum, row) => sum + row.area, 0);

  // The events of its target state, as the app would have applied them.
  const agri = { actorId: spec.agriId, actorUsername: `agri-${district}` };
  const coop = { actorId: null, actorUsername: `coop-${d}-${lot}` };
  const scheduler = { actorId: null, actorUsername: 'scheduler' };
  const stages: Stage[] = [];
  const reach = (target: ContractState): boolean =>
    ORDER.indexOf(state) >= ORDER.indexOf(target) ||
    (state === 'terminated' && ['contracted', 'inService'].includes(target));
  const noticeOf = (k: number, v: number): string =>
    uuidOf(`notice-${d}-${lot}-${TASKS[k].code}-${villageCodes[v]}`);
  const notices: {
    id: string;
    k: number | null;
    v: number | null;
    opened: number;
    elapsed: boolean;
  }[] = [];
  if (reach('contracted'))
    stages.push({
      event: {
        type: 'contract.signed',
        at: instant(t0, DAY.signed),
        contractNo: `HT-${district}-${lotCode}`,
        signedOn: dateOf(t0, DAY.signed),
      },
      ...agri,
    });
  if (reach('inService'))
    stages.push({ event: { type: 'work.started', at: instant(t0, DAY.started) }, ...coop });
  const fullWork = reach('districtAudit');
  const inServiceOnly = state === 'inService';
  for (let k = 0; k < TASKS.length && (fullWork || (inServiceOnly && k === 0)); k++) {
    const taskCode = TASKS[k].code;
    stages.push({
      event: {
        type: 'taskLine.claimed',
        at: instant(t0, fullWork ? DAY.claimed : DAY.runningVerified - 1),
        taskCode,
        villages: villageCodes.map((villageCode, v) => ({
          villageCode,
          claimedArea: claimedOf(k, v),
        })),
      },
      ...coop,
    });
    const verifiedDay = fullWork ? DAY.verified : DAY.runningVerified;
    villageCodes.forEach((villageCode, v) => {
      const noticeId = noticeOf(k, v);
      notices.push({ id: noticeId, k, v, opened: verifiedDay, elapsed: fullWork });
      stages.push({
        event: {
          type: 'village.verified',
          at: instant(t0, verifiedDay),
          taskCode,
          villageCode,
          verifiedArea: claimedOf(k, v),
          noticeId,
          noticeEndsAt: instant(t0, verifiedDay + 7),
        },
        actorId: null,
        actorUsername: `verifier-${villageCode}`,
      });
    });
  }
  if (fullWork) {
    for (const notice of notices)
      stages.push({
        event: { type: 'notice.elapsed', at: instant(t0, notice.opened + 7), noticeId: notice.id },
        ...scheduler,
      });
    TASKS.forEach((task, k) =>
      stages.push({
        event: {
          type: 'acceptance.completed',
          at: instant(t0, DAY.accepted),
          taskCode: task.code,
          villages: villageCodes.map((villageCode, v) => ({
            villageCode,
            acceptedArea: claimedOf(k, v),
          })),
          signers: SIGNERS.map(([signer, acceptanceRole]) => ({
            signerId: uuidOf(`${signer}-${district}`),
            acceptanceRole,
            decision: 'pass' as const,
          })),
        },
        actorId: null,
        actorUsername: `acceptor-${district}`,
      }),
    );
  }
  if (reach('audited')) {
    stages.push({
      event: {
        type: 'audit.approved',
        at: instant(t0, DAY.approvedAgri),
        bureau: 'agriculture',
        approverId: spec.agriId,
      },
      ...agri,
    });
    const approverId = uuidOf(`approver-${district}`);
    stages.push({
      event: {
        type: 'audit.approved',
        at: instant(t0, DAY.approvedFinance),
        bureau: 'finance',
        approverId,
      },
      actorId: approverId,
      actorUsername: `approver-${district}`,
    });
  }
  const mediaId = uuidOf(`media-${d}-${lot}`);
  const mediaDay = state === 'mediaNotice' ? DAY.runningMedia : DAY.mediaNotice;
  if (reach('mediaNotice')) {
    notices.push({ id: mediaId, k: null, v: null, opened: mediaDay, elapsed: reach('payable') });
    stages.push({
      event: {
        type: 'mediaNotice.opened',
        at: instant(t0, mediaDay),
        noticeId: mediaId,
        noticeEndsAt: instant(t0, mediaDay + 7),
      },
      ...agri,
    });
  }
  if (reach('payable'))
    stages.push({
      event: { type: 'notice.elapsed', at: instant(t0, mediaDay + 7), noticeId: mediaId },
      ...scheduler,
    });
  if (state === 'terminated')
    stages.push({
      event: {
        type: 'contract.terminated',
        at: instant(t0, DAY.started + 5),
        reason: '合作社退出',
      },
      ...agri,
    });

  let contract: PersistedContract = initialContract({
    contractId,
    taskLines: TASKS.map((task, k) => ({
      taskCode: task.code,
      unitPriceFen: task.priceFen,
      assignedArea: spec.assigned[k],
    })),
  });
  const payoutId = uuidOf(`payout-${d}-${lot}`);
  const finance = { actorId: spec.financeId, actorUsername: `finance-${district}` };
  const apply = (stage: Stage): void => {
    const decision = decide(contract, stage.event);
    if (!decision.applies)
      throw new Error(
        `${district} ${lotCode} ${stage.event.type}: ${render(decision.refusal.message, 'en')}`,
      );
    record(tables, contract, decision.next, stage, district, contractId, version);
    version += 1;
    contract = decision.next;
  };
  let version = 1;
  stages.forEach(apply);
  if (reach('payoutIssued')) {
    apply({
      event: {
        type: 'payout.issued',
        at: instant(t0, DAY.payoutIssued),
        payoutId,
        amountFen: contract.context.subsidyFen!,
        issuerId: finance.actorId,
        providerEligible: true,
      },
      ...finance,
    });
    table(
      tables,
      'payout',
      'id, contract_id, district_code, amount_fen, state, payee_name, bank_name, bank_account_name, bank_account_no, idempotency_key, issued_by, issued_at, bank_reference, confirmed_at, payout_no',
    ).push([
      payoutId,
      contractId,
      district,
      contract.context.subsidyFen!,
      state === 'paid' ? 'confirmed' : 'issued',
      `省测${d}区合作社`,
      '农村商业银行',
      `省测${d}区合作社`,
      `6222${district}${String(lot).padStart(6, '0')}`,
      `key-${d}-${lot}`,
      spec.financeId,
      instant(t0, DAY.payoutIssued),
      state === 'paid' ? `YH${district}${lotCode}` : null,
      state === 'paid' ? instant(t0, DAY.confirmed) : null,
      `BF${district}-${String(lot).padStart(8, '0')}`,
    ]);
  }
  if (state === 'paid')
    apply({
      event: { type: 'payout.confirmed', at: instant(t0, DAY.confirmed), payoutId },
      ...finance,
    });
  if (contract.value !== state)
    throw new Error(`${district} ${lotCode}: reached ${contract.value}, wanted ${state}`);

  const context = contract.context;
  table(
    tables,
    'contract',
    'id, project_id, tender_id, lot_id, lot_code, organisation_id, district_code, state, version, work_deadline, awarded_on, contract_no, signed_on, subsidy_fen, snapshot, machine_version, created_at, updated_at',
  ).push([
    contractId,
    spec.projectId,
    spec.tenderId,
    lotId,
    lotCode,
    spec.organisationId,
    district,
    contract.value,
    version,
    dateOf(t0, DAY.deadline),
    dateOf(t0, DAY.awarded),
    context.contractNo,
    context.signedOn,
    context.subsidyFen,
    JSON.stringify({ value: contract.value, context }),
    contract.machineVersion,
    instant(t0, DAY.awarded),
    stages.length ? stages[stages.length - 1].event.at : instant(t0, DAY.awarded),
  ]);
  for (const task of TASKS) {
    const line = context.taskLines[task.code];
    table(
      tables,
      'contract_task_line',
      'contract_id, task_code, task_name, unit_price_fen, subsidy_per_mu_fen, assigned_area, state, claimed_area, verified_area, accepted_area, audited_area, amount_fen',
    ).push([
      contractId,
      task.code,
      task.name,
      line.unitPriceFen,
      line.subsidyPerMuFen,
      line.assignedArea,
      line.state,
      line.claimedArea,
      line.verifiedArea,
      line.acceptedArea,
      line.auditedArea,
      line.amountFen,
    ]);
    for (const part of Object.values(line.villageParts))
      table(
        tables,
        'contract_village_part',
        'contract_id, task_code, village_code, state, claimed_area, verified_area, accepted_area, notice_id',
      ).push([
        contractId,
        task.code,
        part.villageCode,
        part.state,
        part.claimedArea,
        part.verifiedArea,
        part.acceptedArea,
        part.notice?.noticeId ?? null,
      ]);
  }
  const terminated = state === 'terminated';
  for (const notice of notices) {
    const ends = notice.opened + 7;
    const village = notice.k === null ? null : TASKS[notice.k];
    table(
      tables,
      'notice',
      'id, kind, contract_id, task_code, village_code, district_code, title, media_name, published_on, opened_at, ends_at, state, closed_at',
    ).push([
      notice.id,
      village ? 'village' : 'media',
      contractId,
      village?.code ?? null,
      notice.v === null ? null : villageCodes[notice.v],
      district,
      village ? `省测村 ${village.name} 作业面积公示` : `省测${d}区 ${lotCode} 补助公示`,
      village ? null : '《亳州晚报》',
      village ? null : dateOf(t0, notice.opened),
      instant(t0, notice.opened),
      instant(t0, ends),
      notice.elapsed ? 'cleared' : terminated ? 'terminated' : 'running',
      notice.elapsed ? instant(t0, ends) : null,
    ]);
    table(tables, 'timer', 'kind, contract_id, notice_id, due_at, fired_at, outcome').push([
      'notice.elapsed',
      contractId,
      notice.id,
      instant(t0, ends),
      notice.elapsed ? instant(t0, ends) : null,
      notice.elapsed ? 'applied' : null,
    ]);
  }
  const registered = HAS_ROWS.has(state);
  if (!registered) return;
  const register = table(
    tables,
    'register_row',
    'id, contract_id, project_id, row_no, village_code, household_name, household_id_no, plot_code, task_code, area, verified_area, work_date, machine_no, operator_name, town_cadre_signed, village_cadre_signed, operator_signed, farmer_signed, state, created_at, plot_key',
  );
  TASKS.forEach((task, k) => {
    const line = context.taskLines[task.code];
    villageCodes.forEach((villageCode, v) => {
      const part = line.villageParts[villageCode];
      for (const { area, n } of rowsOf(k, v)) {
        const seq = d * 10_000_000 + lot * 100_000 + n;
        register.push([
          uuidOf(`row-${d}-${lot}-${n}`),
          contractId,
          spec.projectId,
          n + 2,
          villageCode,
          `${SURNAMES[seq % 10]}${GIVEN[(seq * 7) % 10]}`,
          residentId(seq),
          plotCode(lotCode, villageCode, n),
          task.code,
          area,
          part?.verifiedArea === null || part?.verifiedArea === undefined ? null : area,
          dateOf(t0, DAY.started + (n % 8)),
          `皖S${String(lot).padStart(2, '0')}${String(k * 2 + v).padStart(3, '0')}`,
          '李机手',
          '周镇干',
          '吴村干',
          '李机手',
          '是',
          part ? 'claimed' : 'working',
          instant(t0, DAY.started + 1),
          identifierKey(plotCode(lotCode, villageCode, n)),
        ]);
      }
    });
  });
}

const plotCode = (lotCode: string, villageCode: string, n: number): string =>
  `${lotCode}-${villageCode.slice(-6)}-${n}`;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['秀英', '桂英', '建国', '志强', '丽', '军', '敏', '静', '伟', '芳'];

/** The history rows and the audit row of one applied event, as the workflow writes them. */
function record(
  tables: Tables,
  before: PersistedContract,
  after: PersistedContract,
  stage: Stage,
  district: string,
  contractId: string,
  version: number,
): void {
  const history = table(
    tables,
    'contract_history',
    'contract_id, seq, at, actor_id, actor_username, event, task_code, village_code, from_state, to_state, payload',
  );
  const audit = table(
    tables,
    'audit_event',
    'chain, at, actor_id, actor_username, action, entity_type, entity_id, data, body_sha256',
  );
  const { type, at, ...payload } = stage.event;
  const seqBase = historySeq.get(contractId) ?? 0;
  const rows = historyOf(before, after, stage.event);
  rows.forEach((row, i) =>
    history.push([
      contractId,
      seqBase + i + 1,
      at,
      stage.actorId,
      stage.actorUsername,
      type,
      row.taskCode ?? null,
      row.villageCode ?? null,
      row.from,
      row.to,
      JSON.stringify(payload),
    ]),
  );
  historySeq.set(contractId, seqBase + rows.length);
  const data = {
    from: before.value,
    to: after.value,
    version: version + 1,
    payloadSha256: createHash('sha256').update(canonicalJson(payload)).digest('hex'),
    ...writtenReasons(payload),
  };
  const body = {
    at: new Date(at),
    actorId: stage.actorId,
    actorUsername: stage.actorUsername,
    action: type,
    entityType: 'contract',
    entityId: contractId,
    data,
  };
  audit.push([
    district,
    at,
    stage.actorId,
    stage.actorUsername,
    type,
    'contract',
    contractId,
    JSON.stringify(data),
    eventBodySha256(body),
  ]);
}

const historySeq = new Map<string, number>();
