/**
 * The benchmarks' world and contracts, built through the app like a client would (setup, never
 * timed): one district and town with its villages, cooperatives and one person of every role
 * (`buildWorld`); tenders of many lots awarded at once (`awardBatch`: `count` contracts in
 * `awarded` for a handful of requests); a contract driven on to its village notices
 * (`toVillageNotices`); `contractsInState` for the states the benchmarks start from; the demo's
 * users logged in (`loginDemo`).
 */
import { nextSeq } from '../../test/factories/codes';
import { residentId } from '../../test/factories/register-rows';
import type { Api, Session } from '../../test/support/api';
import { TASKS } from '../../test/support/qiaocheng';
import type { TestApp } from '../../test/support/test-app';
import { callOn, type Call, type Endpoint } from './http';

export { callOn, type Call };
import { uploadClaimPapers } from './qiaocheng';
import { openTender, postAward, postBid, postProject, postTender } from './tenders';

/** Cooperatives of a world; lot n goes to cooperative n mod COOPS. */
export const COOPS = 8;
const PLOTS_PER_VILLAGE = 2;
const LOT_AREA_MU = '60.00';
/** Lots per tender (the tender DTO's cap). */
export const LOTS_PER_TENDER = 100;

export interface People {
  admin: Session;
  agri: Session;
  /** Approves the audit's finance side. */
  finance: Session;
  /** Issues and confirms the payouts: not the finance approver (separation of duties). */
  payer: Session;
  /** Opens the acceptance records (station head) and signs like the others. */
  opener: Session;
  /** Five pass signers covering the four roles. */
  signers: Session[];
  verifiers: Map<string, Session>;
  coops: Session[];
  organisationIds: string[];
}

export interface World {
  district: string;
  town: string;
  villages: string[];
  people: People;
}

export interface LifecycleContract {
  id: string;
  label: string;
  lot: number;
  coop: Session;
  villages: string[];
  /** The register file: 3 villages × 2 plots × 3 tasks. */
  csv: Buffer;
  rows: number;
  /** Per task: every village part at its verified (= registered) area. */
  accepted: Record<string, { villageCode: string; acceptedAreaMu: string }[]>;
  /** Σ per task line of round half up (area × unit price), computed here in integers. */
  expectedFen: number;
}

export interface Batch {
  label: string;
  contracts: LifecycleContract[];
}

export const mu = (hundredths: number): string =>
  `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;

export async function inParallel<T, R>(
  items: T[],
  width: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}

export async function buildWorld(api: Api, villageCount: number): Promise<World> {
  const district = String(700000 + nextSeq());
  const town = `${district}104`;
  await api.region({ code: district, name: '谯城区（压测）', level: 'district' });
  await api.region({ code: town, name: '双沟镇（压测）', level: 'town', parentCode: district });
  const villages = Array.from({ length: villageCount }, (_, index) => `${town}${201 + index}`);
  await inParallel(villages, 8, (code, index) =>
    api.region({ code, name: `压测${index + 1}村`, level: 'village', parentCode: town }),
  );
  const organisationIds = await inParallel(
    Array.from({ length: COOPS }, (_, index) => index),
    4,
    async (index) => {
      const name = `亳州市谯城区压测${index + 1}号农机专业合作社`;
      return (await api.organisation({ name, bankAccountName: name, grade: 'municipal' })).id;
    },
  );
  // Users: creation and login each run scrypt; a few at a time.
  const coops = await inParallel(organisationIds, 4, (organisationId) =>
    api.user('cooperative', { organisationId }),
  );
  const verifierList = await inParallel(villages, 4, (regionCode) =>
    api.user('village_verifier', { regionCode }),
  );
  const member = (
    acceptanceRole: 'technical_guidance' | 'township_leader' | 'station_head' | 'farmer_supervisor',
  ) => api.user('town_acceptor', { regionCode: town, acceptanceRole });
  const [tech1, leader, station, farmer, tech2, agri, finance, payer] = await Promise.all([
    member('technical_guidance'),
    member('township_leader'),
    member('station_head'),
    member('farmer_supervisor'),
    member('technical_guidance'),
    api.user('district_agri', { regionCode: district }),
    api.user('district_finance', { regionCode: district }),
    api.user('district_finance', { regionCode: district }),
  ]);
  return {
    district,
    town,
    villages,
    people: {
      admin: await api.admin(),
      agri,
      finance,
      payer,
      opener: station,
      signers: [tech1, leader, station, farmer, tech2],
      verifiers: new Map(villages.map((code, index) => [code, verifierList[index]])),
      coops,
      organisationIds,
    },
  };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['秀英', '桂英', '建国', '志强', '丽', '军', '敏', '静', '伟', '芳'];
const HEADER =
  'villageCode,householdName,householdIdNo,plotCode,taskCode,areaMu,workDate,machineNo,operatorName,townCadreSigned,villageCadreSigned,operatorSigned,farmerSigned';

/** The register of one contract and what the later stages need to know about it. */
function registerOf(
  lot: number,
  villages: string[],
): Pick<LifecycleContract, 'csv' | 'rows' | 'accepted' | 'expectedFen'> {
  const lines = [HEADER];
  const accepted: LifecycleContract['accepted'] = {};
  const taskTotals = new Map<string, number>();
  for (const [v, villageCode] of villages.entries()) {
    const villageTotals = new Map<string, number>();
    for (let plot = 0; plot < PLOTS_PER_VILLAGE; plot++) {
      const seq = nextSeq();
      const household = `${SURNAMES[seq % 10]}${GIVEN[(seq * 7) % 10]}`;
      const idNo = residentId(seq);
      for (const [t, task] of TASKS.entries()) {
        // 2.00–8.72 mu, varied so that the subsidies round both ways.
        const area = 200 + ((lot * 13 + v * 7 + plot * 5 + t * 3) % 97) * 7;
        villageTotals.set(task.code, (villageTotals.get(task.code) ?? 0) + area);
        taskTotals.set(task.code, (taskTotals.get(task.code) ?? 0) + area);
        lines.push(
          [
            villageCode,
            household,
            idNo,
            `L${lot}-V${v}-P${plot}`,
            task.code,
            mu(area),
            '2015-06-12',
            `皖S-${1000 + (seq % 9000)}`,
            '刘机手',
            '周镇干部',
            '吴村干部',
            '刘机手',
            '1',
          ].join(','),
        );
      }
    }
    for (const task of TASKS) {
      (accepted[task.code] ??= []).push({
        villageCode,
        acceptedAreaMu: mu(villageTotals.get(task.code) ?? 0),
      });
    }
  }
  let expectedFen = 0;
  for (const task of TASKS) {
    // hundredths of a mu × fen per mu / 100, round half up.
    expectedFen += Math.floor(((taskTotals.get(task.code) ?? 0) * task.priceFen + 50) / 100);
  }
  return {
    csv: Buffer.from('\uFEFF' + lines.join('\r\n') + '\r\n', 'utf8'),
    rows: lines.length - 1,
    accepted,
    expectedFen,
  };
}

/** A project whose open tender has `count` lots of 3 villages × 3 tasks, all awarded. */
export async function awardBatch(
  test: TestApp,
  world: World,
  label: string,
  count: number,
): Promise<Batch> {
  const { agri, coops } = world.people;
  const lotVillages = Array.from({ length: count }, (_, lot) =>
    world.villages.slice(3 * lot, 3 * lot + 3),
  );
  const projectId = await postProject(test, agri, {
    code: `压测-${label}-${nextSeq()}`,
    name: `谯城区全程社会化服务（压测 ${label}）`,
    districtCode: world.district,
    villageCodes: lotVillages.flat(),
    tasks: TASKS,
    plannedAreaMu: mu(count * 6000),
  });
  const tenderId = await postTender(test, agri, projectId, {
    method: 'open',
    lots: lotVillages.map((villageCodes, lot) => ({
      code: `L${lot + 1}`,
      villageCodes,
      tasks: TASKS.map((task) => ({ taskCode: task.code, areaMu: LOT_AREA_MU })),
    })),
  });
  const bidIds = await inParallel(lotVillages, 4, (_, lot) =>
    postBid(test, coops[lot % COOPS], tenderId, `L${lot + 1}`, TASKS),
  );
  await openTender(test, agri, tenderId);
  const contracts: LifecycleContract[] = [];
  for (const [lot, villages] of lotVillages.entries()) {
    const contractId = await postAward(test, agri, tenderId, `L${lot + 1}`, bidIds[lot]);
    contracts.push({
      id: contractId,
      label,
      lot: lot + 1,
      coop: coops[lot % COOPS],
      villages,
      ...registerOf(lot + 1, villages),
    });
  }
  return { label, contracts };
}

/** `awarded` → `contracted`: the agriculture committee signs. */
export async function signContract(
  contract: LifecycleContract,
  people: People,
  call: Call,
): Promise<void> {
  await call('sign', 200, 'POST', `/contracts/${contract.id}/sign`, {
    session: people.agri,
    json: {
      contractNo: `谯农服合〔2015〕压测${contract.label}-${contract.lot}`,
      signedOn: '2015-06-01',
    },
  });
}

/**
 * Sign, the 3 claim papers, the register (CSV), then per task line its claim and the
 * verification of each village: the contract's 9 village notices run (`inService`).
 */
export async function toVillageNotices(
  contract: LifecycleContract,
  people: People,
  call: Call,
): Promise<void> {
  const base = `/contracts/${contract.id}`;
  const { verifiers } = people;
  await signContract(contract, people, call);
  await uploadClaimPapers(call, contract.coop, contract.id);
  const imported = await call('register import', 200, 'POST', `${base}/register`, {
    session: contract.coop,
    multipart: {
      fields: {},
      file: { name: 'register.csv', type: 'text/csv', data: contract.csv },
    },
  });
  if (imported.accepted !== contract.rows || imported.rejected.length > 0)
    throw new Error(`register import: ${JSON.stringify(imported)}`);
  for (const task of TASKS) {
    await call('claim', 200, 'POST', `${base}/task-lines/${task.code}/claim`, {
      session: contract.coop,
    });
    for (const village of contract.villages) {
      await call(
        'village verification',
        200,
        'POST',
        `${base}/task-lines/${task.code}/villages/${village}/verification`,
        { session: verifiers.get(village), json: {} },
      );
    }
  }
}

/** One contract from `awarded` to `paid`; every answer checked. */

/** The states `contractsInState` reaches; `payable`: test/support/payable.ts `payableContracts`. */
export type BenchState = 'awarded' | 'contracted' | 'inService';

/**
 * `count` contracts of `world` in `state`, `label` (letters, digits, '_', '.', '-') naming their projects: awarded in tenders of
 * as many lots as the world has villages for (3 a lot), then driven on `width` at a time over
 * `endpoint`. `inService`: 9 running village notices each, with their timers (due in 7 days).
 * `progress` hears every 100 contracts driven.
 */
export async function contractsInState(
  test: TestApp,
  endpoint: Endpoint,
  world: World,
  state: BenchState,
  count: number,
  {
    label = 'c',
    width = 8,
    progress,
  }: { label?: string; width?: number; progress?: (done: number) => void } = {},
): Promise<LifecycleContract[]> {
  const perTender = Math.min(LOTS_PER_TENDER, Math.floor(world.villages.length / 3));
  if (perTender < 1) throw new Error('contractsInState: the world needs 3 villages or more');
  const contracts: LifecycleContract[] = [];
  for (let tender = 0; contracts.length < count; tender++) {
    const lots = Math.min(perTender, count - contracts.length);
    contracts.push(...(await awardBatch(test, world, `${label}${tender}`, lots)).contracts);
  }
  if (state === 'awarded') return contracts;
  const call = callOn(endpoint);
  const step = state === 'contracted' ? signContract : toVillageNotices;
  let done = 0;
  await inParallel(contracts, width, async (contract) => {
    await step(contract, world.people, call);
    done += 1;
    if (done % 100 === 0) progress?.(done);
  });
  return contracts;
}

/** The demo's users (SEED_DEMO=1, src/modules/demo/demo-data.ts) logged in, by username. */
export async function loginDemo(api: Api): Promise<Map<string, Session>> {
  const { DEMO_PASSWORD, DEMO_USERS } = await import('../../src/modules/demo/demo-data.js');
  const sessions = new Map<string, Session>();
  await inParallel(DEMO_USERS, 4, async (user) => {
    sessions.set(user.username, await api.login(user.username, DEMO_PASSWORD));
  });
  return sessions;
}
