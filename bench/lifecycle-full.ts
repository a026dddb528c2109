/**
 * Full lifecycles through HTTP, award → paid (docs/benchmarks.md, "Full lifecycles"); the second
 * phase of bench/lifecycle.ts (`BENCH_PHASE=lifecycles|all`).
 *
 * Setup (not timed), through the in-process app: one district and town with 3 × BENCH_CONTRACTS
 * villages, 8 cooperatives, one village verifier per village, five town acceptors covering the
 * four roles, a district agriculture official, two finance officials (one approves the audit,
 * the other issues the payout). Then, for every run, a project whose open tender has
 * BENCH_CONTRACTS lots of 3 villages × 3 tasks, one bid per lot, the opening and the awards:
 * BENCH_CONTRACTS contracts in `awarded`, each with 3 task lines × 3 villages.
 *
 * The app runs in separate processes (bench/lifecycle-instance.ts, `startTestApp` on the same
 * database and JWT secret), so that "1 vs 2 app processes" means two event loops. Timed part:
 * BENCH_DRIVERS closed-loop drivers in this process take the next contract of the run and drive
 * it from `awarded` to `paid` over HTTP (keep-alive), with the drivers split evenly between the
 * instances of the run:
 *
 *   sign → 3 claim attachments → register CSV (18 rows: 2 plots per village, each with the three
 *   tasks) → per task: claim, then one verification per village (its own verifier) → [7 days] →
 *   per task: an acceptance record and 5 signatures (4 roles) → audit approvals by agriculture
 *   and finance → media notice → [7 days] → payout (Idempotency-Key, by the other finance
 *   official; amount checked against the subsidy computed here) → confirm.
 *
 * The clock is global (app_clock), so a coordinator moves it, on demand: a driver that needs 7
 * days to pass asks for an advance that starts after its request; requests that arrive while an
 * advance runs are served together by the next one (group-commit style). An advance is
 * `POST /__test__/clock {advanceDays: 7}` on one instance of the run (in turn), which fires every
 * due timer before answering, then `{advanceHours: 0}` on each other instance, which makes it
 * re-read the offset (each instance caches it) and fire what is left.
 *
 * While a run goes, a separate connection samples pg_stat_activity every 50 ms: what the app's
 * busy connections are doing (running, waiting on a lock, idle in a transaction waiting for Node).
 *
 * Settings: BENCH_CONTRACTS (24), BENCH_DRIVERS (8), BENCH_LIFECYCLE_RUNS (5 per instance count),
 * BENCH_INSTANCES (1,2), BENCH_LIFECYCLE_PRIMING (8 contracts, unreported, on every instance).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { nextSeq } from '../test/factories/codes';
import { residentId } from '../test/factories/register-rows';
import { Api, type Session } from '../test/support/api';
import { TASKS } from '../test/support/qiaocheng';
import type { TestApp } from '../test/support/test-app';
import {
  expectStatus,
  fmt,
  log,
  machineCpuMs,
  median,
  percentile,
  postgresCpuMs,
  processCpuMs,
} from './measure';

const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? 24);
const DRIVERS = Number(process.env.BENCH_DRIVERS ?? 8);
const RUNS = Number(process.env.BENCH_LIFECYCLE_RUNS ?? 5);
const INSTANCE_COUNTS = (process.env.BENCH_INSTANCES ?? '1,2')
  .split(',')
  .map((value) => Number(value.trim()));
const PRIMING = Number(process.env.BENCH_LIFECYCLE_PRIMING ?? 8);
const COOPS = 8;
const PLOTS_PER_VILLAGE = 2;
const LOT_AREA_MU = '60.00';

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

interface Reply {
  status: number;
  body: any;
}

interface FilePart {
  name: string;
  type: string;
  data: Buffer;
}

/** One app instance's address, with its own keep-alive agent. */
export class Endpoint {
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(readonly port: number) {}

  send(
    method: string,
    path: string,
    options: {
      session?: Session;
      json?: unknown;
      multipart?: { fields: Record<string, string>; file: FilePart };
      headers?: Record<string, string>;
    } = {},
  ): Promise<Reply> {
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.session) headers.authorization = options.session.auth.Authorization;
    let payload: Buffer | undefined;
    if (options.multipart) {
      const boundary = `----bench${nextSeq()}${Date.now()}`;
      const parts: Buffer[] = [];
      for (const [name, value] of Object.entries(options.multipart.fields))
        parts.push(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
          ),
        );
      const { file } = options.multipart;
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
        ),
        file.data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      );
      payload = Buffer.concat(parts);
      headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
    } else if (options.json !== undefined) {
      payload = Buffer.from(JSON.stringify(options.json));
      headers['content-type'] = 'application/json';
    }
    if (payload) headers['content-length'] = payload.length;
    return new Promise((resolve, reject) => {
      const request = http.request(
        { agent: this.agent, host: '127.0.0.1', port: this.port, method, path, headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let body: unknown = text;
            if (String(response.headers['content-type']).includes('json') && text) {
              try {
                body = JSON.parse(text);
              } catch {
                body = text;
              }
            }
            resolve({ status: response.statusCode ?? 0, body });
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }
}

interface Instance {
  child: ChildProcess;
  pid: number;
  endpoint: Endpoint;
}

async function startInstance(databaseUrl: string, jwtSecret: string): Promise<Instance> {
  const child = fork(path.join(__dirname, 'lifecycle-instance.js'), [], {
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl, BENCH_JWT_SECRET: jwtSecret },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`app instance exited with ${code}`)));
    child.once('error', reject);
  });
  return { child, pid: child.pid as number, endpoint: new Endpoint(port) };
}

async function stopInstance(instance: Instance): Promise<void> {
  instance.endpoint.agent.destroy();
  if (instance.child.exitCode !== null) return;
  const exited = once(instance.child, 'exit');
  instance.child.send('stop');
  const timeout = setTimeout(() => instance.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timeout);
}

// ---------------------------------------------------------------------------------------------
// The world and the contracts (setup, not timed)
// ---------------------------------------------------------------------------------------------

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

const mu = (hundredths: number): string =>
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
  const http = () => test.http();
  const lotVillages = Array.from({ length: count }, (_, lot) =>
    world.villages.slice(3 * lot, 3 * lot + 3),
  );
  const project = await expectStatus(
    'project',
    http()
      .post('/projects')
      .set(agri.auth)
      .send({
        code: `压测-${label}-${nextSeq()}`,
        name: `谯城区全程社会化服务（压测 ${label}）`,
        year: 2014,
        districtCode: world.district,
        villageCodes: lotVillages.flat(),
        tasks: TASKS.map((task) => ({
          code: task.code,
          name: task.name,
          plannedAreaMu: mu(count * 6000),
        })),
        serviceStart: '2015-06-01',
        serviceEnd: '2015-09-30',
      }),
    201,
  );
  const tender = await expectStatus(
    'tender',
    http()
      .post(`/projects/${project.body.id}/tenders`)
      .set(agri.auth)
      .send({
        method: 'open',
        publishedIn: '《亳州晚报》',
        publishedOn: '2015-05-25',
        openingOn: '2015-05-30',
        lots: lotVillages.map((villageCodes, lot) => ({
          code: `L${lot + 1}`,
          villageCodes,
          tasks: TASKS.map((task) => ({ taskCode: task.code, areaMu: LOT_AREA_MU })),
        })),
      }),
    201,
  );
  const tenderId = tender.body.id as string;
  const bidIds = await inParallel(lotVillages, 4, async (_, lot) => {
    const bid = await expectStatus(
      'bid',
      http()
        .post(`/tenders/${tenderId}/bids`)
        .set(coops[lot % COOPS].auth)
        .send({
          lotCode: `L${lot + 1}`,
          prices: TASKS.map((task) => ({ taskCode: task.code, unitPriceYuan: task.priceYuan })),
        }),
      201,
    );
    return bid.body.id as string;
  });
  await expectStatus('open', http().post(`/tenders/${tenderId}/open`).set(agri.auth));
  const contracts: LifecycleContract[] = [];
  for (const [lot, villages] of lotVillages.entries()) {
    const award = await expectStatus(
      'award',
      http()
        .post(`/tenders/${tenderId}/awards`)
        .set(agri.auth)
        .send({
          lotCode: `L${lot + 1}`,
          bidId: bidIds[lot],
          workDeadline: '2015-06-30',
          awardedOn: '2015-05-31',
        }),
      201,
    );
    contracts.push({
      id: award.body.contractId as string,
      label,
      lot: lot + 1,
      coop: coops[lot % COOPS],
      villages,
      ...registerOf(lot + 1, villages),
    });
  }
  return { label, contracts };
}

// ---------------------------------------------------------------------------------------------
// The clock coordinator and the drivers (timed)
// ---------------------------------------------------------------------------------------------

class ClockCoordinator {
  advances = 0;
  requests = 0;
  fired = 0;
  /** Wall time during which an advance was running. */
  busyMs = 0;
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private turn = 0;

  constructor(
    private readonly endpoints: Endpoint[],
    private readonly admin: Session,
  ) {}

  /** Resolves after an advance of 7 days that started after this call, every due timer fired. */
  request(): Promise<void> {
    if (this.queued) return this.queued;
    if (this.inFlight) {
      this.queued = this.inFlight.then(() => {
        this.queued = undefined;
        return this.start();
      });
      return this.queued;
    }
    return this.start();
  }

  /** Every instance re-reads the shared offset (and fires what is due). */
  async refreshAll(): Promise<void> {
    for (const endpoint of this.endpoints) await this.post(endpoint, { advanceHours: 0 });
  }

  private start(): Promise<void> {
    const run: Promise<void> = this.advance().finally(() => {
      if (this.inFlight === run) this.inFlight = undefined;
    });
    this.inFlight = run;
    return run;
  }

  private async advance(): Promise<void> {
    const started = performance.now();
    const first = this.turn++ % this.endpoints.length;
    await this.post(this.endpoints[first], { advanceDays: 7 });
    for (const [index, endpoint] of this.endpoints.entries())
      if (index !== first) await this.post(endpoint, { advanceHours: 0 });
    this.advances += 1;
    this.busyMs += performance.now() - started;
  }

  private async post(endpoint: Endpoint, json: object): Promise<void> {
    this.requests += 1;
    const reply = await endpoint.send('POST', '/__test__/clock', { session: this.admin, json });
    if (reply.status !== 200)
      throw new Error(`clock: ${reply.status} ${JSON.stringify(reply.body)}`);
    this.fired += (reply.body as { fired: number }).fired;
  }
}

interface LifecycleTiming {
  ms: number;
  clockWaitMs: number;
  requests: number;
}

/** What a step of a lifecycle calls: one request, its answer's status checked. */
export type Call = (
  step: string,
  expected: number,
  method: string,
  path: string,
  options: Parameters<Endpoint['send']>[2],
) => Promise<any>;

/**
 * Sign, the 3 claim papers, the register (CSV), then per task line its claim and the
 * verification of each village: the contract's 9 village notices run.
 */
export async function toVillageNotices(
  contract: LifecycleContract,
  people: People,
  call: Call,
): Promise<void> {
  const base = `/contracts/${contract.id}`;
  const { agri, verifiers } = people;
  await call('sign', 200, 'POST', `${base}/sign`, {
    session: agri,
    json: {
      contractNo: `谯农服合〔2015〕压测${contract.label}-${contract.lot}`,
      signedOn: '2015-06-01',
    },
  });
  for (const kind of ['legal_person_certificate', 'contract_scan', 'register_scan']) {
    await call('attachment', 201, 'POST', `${base}/attachments`, {
      session: contract.coop,
      multipart: {
        fields: { kind },
        file: {
          name: `${kind}.pdf`,
          type: 'application/pdf',
          data: Buffer.from(`%PDF-1.4 ${kind} of ${contract.id}`),
        },
      },
    });
  }
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
async function driveLifecycle(
  contract: LifecycleContract,
  endpoint: Endpoint,
  people: People,
  clock: ClockCoordinator,
  steps: Map<string, number[]>,
): Promise<LifecycleTiming> {
  const started = performance.now();
  let requests = 0;
  let clockWaitMs = 0;
  const call = async (
    step: string,
    expected: number,
    method: string,
    path: string,
    options: Parameters<Endpoint['send']>[2],
  ): Promise<any> => {
    requests += 1;
    const sent = performance.now();
    const reply = await endpoint.send(method, path, options);
    const list = steps.get(step) ?? [];
    list.push(performance.now() - sent);
    steps.set(step, list);
    if (reply.status !== expected)
      throw new Error(
        `${step} (contract ${contract.label}/L${contract.lot}): ${reply.status} ${JSON.stringify(reply.body)}`,
      );
    return reply.body;
  };
  const waitForClock = async (): Promise<void> => {
    const asked = performance.now();
    await clock.request();
    clockWaitMs += performance.now() - asked;
  };
  const base = `/contracts/${contract.id}`;
  const { agri, finance, payer, opener, signers } = people;

  await toVillageNotices(contract, people, call);
  await waitForClock(); // the 9 village notices run out
  for (const task of TASKS) {
    const record = await call(
      'acceptance record',
      201,
      'POST',
      `${base}/task-lines/${task.code}/acceptance`,
      {
        session: opener,
        json: { villages: contract.accepted[task.code] },
      },
    );
    let last: any;
    for (const signer of signers) {
      last = await call(
        'acceptance signature',
        200,
        'POST',
        `/acceptance-records/${record.id}/signatures`,
        {
          session: signer,
          json: { decision: 'pass' },
        },
      );
    }
    if (!last?.complete) throw new Error(`acceptance not complete: ${JSON.stringify(last)}`);
  }
  await call('audit approval', 200, 'POST', `${base}/audit/approvals`, {
    session: agri,
    json: {},
  });
  const audited = await call('audit approval', 200, 'POST', `${base}/audit/approvals`, {
    session: finance,
    json: {},
  });
  if (audited.state !== 'audited' || audited.subsidyFen !== contract.expectedFen)
    throw new Error(
      `audit: state ${audited.state}, subsidyFen ${audited.subsidyFen}, expected ${contract.expectedFen}`,
    );
  await call('media notice', 200, 'POST', `${base}/media-notice`, {
    session: agri,
    json: { mediaName: '《亳州晚报》', publishedOn: '2015-07-20' },
  });
  await waitForClock(); // the media notice runs out: payable
  const payout = await call('payout', 201, 'POST', `${base}/payouts`, {
    session: payer,
    json: {},
    headers: { 'idempotency-key': `bench-${contract.id}` },
  });
  if (payout.amountFen !== contract.expectedFen)
    throw new Error(`payout ${payout.amountFen} fen, expected ${contract.expectedFen}`);
  await call('payout confirm', 200, 'POST', `/payouts/${payout.id}/confirm`, {
    session: payer,
    json: { bankReference: `NX-${contract.label}-${contract.lot}` },
  });
  return { ms: performance.now() - started, clockWaitMs, requests };
}

interface RunResult {
  label: string;
  instances: number;
  contracts: number;
  wallMs: number;
  perMinute: number;
  /** Whole lifecycles, ms, ascending. */
  latencies: number[];
  clockWaitMs: number[];
  requests: number;
  clock: { advances: number; requests: number; fired: number; busyMs: number };
  /** Cores busy on average; `others`: the rest of the machine (other sessions), `steal`: the hypervisor. */
  cores: { app: number; postgres: number; driver: number; others: number; steal: number };
  /** CPU ms per lifecycle: the app processes, PostgreSQL. */
  cpuPerContract: { app: number; postgres: number };
  load: number[];
  events: number;
  historyRows: number;
  auditEvents: number;
  /** pg_stat_activity samples of the app's non-idle connections: what they were doing. */
  activity: ActivitySample;
}

interface ActivitySample {
  samples: number;
  /** Sum over samples of the busy connections, by what they did. */
  byKind: Record<string, number>;
}

/** Samples pg_stat_activity every 50 ms until stopped. */
function sampleActivity(databaseUrl: string): { stop: () => Promise<ActivitySample> } {
  const result: ActivitySample = { samples: 0, byKind: {} };
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench-sampler' });
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const rows = await client.query<{ state: string; type: string | null; event: string | null }>(
        `SELECT state, wait_event_type AS type, wait_event AS event FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'agri-subsidy' AND state <> 'idle'`,
      );
      result.samples += 1;
      for (const row of rows.rows) {
        const kind =
          row.state === 'active'
            ? row.type
              ? `waiting ${row.type}:${row.event}`
              : 'running'
            : row.state === 'idle in transaction'
              ? 'idle in transaction (waiting for Node)'
              : row.state;
        result.byKind[kind] = (result.byKind[kind] ?? 0) + 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop.finally(() => client.end());
      return result;
    },
  };
}

async function runBatch(
  test: TestApp,
  batch: Batch,
  instances: Instance[],
  drivers: number,
  people: People,
  pgDataDir: string,
  steps: Map<string, number[]>,
): Promise<RunResult> {
  const ids = batch.contracts.map((contract) => contract.id);
  const counts = async () => {
    const [row] = await test.dataSource.query<
      { versions: number; history: number; audit: number }[]
    >(
      `SELECT (SELECT coalesce(sum(version), 0)::int FROM contract WHERE id = ANY($1)) AS versions,
              (SELECT count(*)::int FROM contract_history WHERE contract_id = ANY($1)) AS history,
              (SELECT count(*)::int FROM audit_event) AS audit`,
      [ids],
    );
    return row;
  };
  const clock = new ClockCoordinator(
    instances.map((instance) => instance.endpoint),
    people.admin,
  );
  await clock.refreshAll();
  clock.requests = 0;
  clock.fired = 0;
  const before = await counts();

  const latencies: number[] = [];
  const clockWaits: number[] = [];
  let requests = 0;
  let next = 0;
  let failure: Error | undefined;
  const appBefore = instances.map((instance) => processCpuMs(instance.pid));
  const pgBefore = postgresCpuMs(pgDataDir);
  const nodeBefore = process.cpuUsage();
  const machineBefore = machineCpuMs();
  const sampler = sampleActivity(test.databaseUrl);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: drivers }, async (_, driver) => {
      const endpoint = instances[driver % instances.length].endpoint;
      while (next < batch.contracts.length && failure === undefined) {
        const contract = batch.contracts[next++];
        try {
          const timing = await driveLifecycle(contract, endpoint, people, clock, steps);
          latencies.push(timing.ms);
          clockWaits.push(timing.clockWaitMs);
          requests += timing.requests;
        } catch (error) {
          failure ??= error instanceof Error ? error : new Error(String(error));
        }
      }
    }),
  );
  const wallMs = performance.now() - started;
  const activity = await sampler.stop();
  const node = process.cpuUsage(nodeBefore);
  const machine = machineCpuMs();
  const appMs = instances.reduce(
    (sum, instance, index) => sum + processCpuMs(instance.pid) - appBefore[index],
    0,
  );
  const pgMs = postgresCpuMs(pgDataDir) - pgBefore;
  if (failure !== undefined) throw failure;
  const after = await counts();
  latencies.sort((a, b) => a - b);
  const n = batch.contracts.length;
  return {
    label: batch.label,
    instances: instances.length,
    contracts: n,
    wallMs,
    perMinute: (n * 60_000) / wallMs,
    latencies,
    clockWaitMs: clockWaits,
    requests,
    clock: {
      advances: clock.advances,
      requests: clock.requests,
      fired: clock.fired,
      busyMs: clock.busyMs,
    },
    cores: {
      app: appMs / wallMs,
      postgres: pgMs / wallMs,
      driver: (node.user + node.system) / 1000 / wallMs,
      others:
        (machine.busy - machineBefore.busy - appMs - pgMs - (node.user + node.system) / 1000) /
        wallMs,
      steal: (machine.steal - machineBefore.steal) / wallMs,
    },
    cpuPerContract: { app: appMs / n, postgres: pgMs / n },
    load: os.loadavg(),
    events: (after.versions - before.versions) / n,
    historyRows: (after.history - before.history) / n,
    auditEvents: (after.audit - before.audit) / n,
    activity,
  };
}

function describeRun(result: RunResult): string {
  return (
    `${result.label}: ${result.instances} instance(s), ${result.contracts} contracts in ${fmt(result.wallMs / 1000)} s = ` +
    `${fmt(result.perMinute)} contracts/min; lifecycle p50 ${fmt(percentile(result.latencies, 0.5) / 1000, 2)} s, ` +
    `p99 ${fmt(percentile(result.latencies, 0.99) / 1000, 2)} s; clock wait p50 ${fmt(median(result.clockWaitMs) / 1000, 2)} s; ` +
    `${result.clock.advances} advances, ${result.clock.fired} timers fired; cores app ${fmt(result.cores.app, 2)} ` +
    `pg ${fmt(result.cores.postgres, 2)} driver ${fmt(result.cores.driver, 2)} others ${fmt(result.cores.others, 2)} steal ${fmt(result.cores.steal, 2)}; load ${result.load.map((l) => fmt(l, 2)).join(' ')}`
  );
}

// ---------------------------------------------------------------------------------------------
// The phase
// ---------------------------------------------------------------------------------------------

export async function runFullLifecycles(context: {
  test: TestApp;
  jwtSecret: string;
  pgDataDir: string;
}): Promise<boolean> {
  const { test, jwtSecret, pgDataDir } = context;
  const maxInstances = Math.max(...INSTANCE_COUNTS);
  if (INSTANCE_COUNTS.some((count) => !(count >= 1)) || !(CONTRACTS >= 1) || !(DRIVERS >= 1))
    throw new Error('BENCH_INSTANCES, BENCH_CONTRACTS and BENCH_DRIVERS must be positive');
  const api = new Api(test);
  const instances: Instance[] = [];
  let failed = false;
  const setupStarted = performance.now();
  const starting = Array.from({ length: maxInstances }, () =>
    startInstance(test.databaseUrl, jwtSecret),
  );
  try {
    // --- setup, not timed
    const world = await buildWorld(api, 3 * Math.max(CONTRACTS, PRIMING));
    const schedule: { instances: number; batch: Batch }[] = [];
    const priming = PRIMING > 0 ? await awardBatch(test, world, 'priming', PRIMING) : undefined;
    for (let run = 1; run <= RUNS; run++) {
      for (const count of INSTANCE_COUNTS) {
        schedule.push({
          instances: count,
          batch: await awardBatch(test, world, `run${run}-x${count}`, CONTRACTS),
        });
      }
    }
    for (const instance of await Promise.allSettled(starting)) {
      if (instance.status === 'fulfilled') instances.push(instance.value);
      else throw instance.reason;
    }
    log(
      `lifecycles setup: ${world.villages.length} villages, ${COOPS} cooperatives, ${world.people.verifiers.size + 5 + 3 + COOPS} users, ` +
        `${schedule.length} × ${CONTRACTS}${priming ? ` + ${PRIMING}` : ''} contracts awarded, ` +
        `${instances.length} app processes (pids ${instances.map((instance) => instance.pid).join(', ')}) in ${fmt((performance.now() - setupStarted) / 1000)} s`,
    );

    // --- timed
    const steps = new Map<string, number[]>();
    if (priming) {
      const result = await runBatch(
        test,
        priming,
        instances,
        Math.min(DRIVERS, PRIMING),
        world.people,
        pgDataDir,
        new Map(),
      );
      log(`priming (not reported) ${describeRun(result)}`);
    }
    const results: RunResult[] = [];
    for (const { instances: count, batch } of schedule) {
      const result = await runBatch(
        test,
        batch,
        instances.slice(0, count),
        DRIVERS,
        world.people,
        pgDataDir,
        steps,
      );
      log(describeRun(result));
      results.push(result);
    }

    // --- checks
    const allIds = [...(priming?.contracts ?? []), ...schedule.flatMap((s) => s.batch.contracts)];
    const ids = allIds.map((contract) => contract.id);
    const states = await test.dataSource.query<{ state: string; n: number }[]>(
      'SELECT state, count(*)::int AS n FROM contract WHERE id = ANY($1) GROUP BY state',
      [ids],
    );
    const [money] = await test.dataSource.query<
      { payouts: string; subsidies: string; confirmed: number; paid: number }[]
    >(
      `SELECT (SELECT coalesce(sum(amount_fen), 0)::text FROM payout WHERE state = 'confirmed') AS payouts,
              (SELECT count(*)::int FROM payout WHERE state = 'confirmed') AS confirmed,
              (SELECT coalesce(sum(subsidy_fen), 0)::text FROM contract WHERE state = 'paid') AS subsidies,
              (SELECT count(*)::int FROM contract WHERE state = 'paid') AS paid`,
    );
    const expectedFen = allIds.reduce((sum, contract) => sum + contract.expectedFen, 0);
    const [timers] = await test.dataSource.query<{ pending: number }[]>(
      'SELECT count(*)::int AS pending FROM timer WHERE contract_id = ANY($1) AND fired_at IS NULL',
      [ids],
    );
    const chain = await expectStatus(
      'audit-log verify',
      test.http().get('/audit-log/verify').set(world.people.admin.auth),
    );
    const chainBody = chain.body as { ok: boolean; events: number };
    const allPaid = states.length === 1 && states[0].state === 'paid' && states[0].n === ids.length;
    const moneyOk =
      money.payouts === money.subsidies &&
      money.payouts === String(expectedFen) &&
      money.confirmed === ids.length &&
      money.paid === ids.length;

    // --- report
    const table: string[][] = [
      [
        'run',
        'app procs',
        'contracts',
        'wall s',
        'contracts/min',
        'p50 s',
        'p99 s',
        'clock wait p50 s',
        'advances',
        'clock busy %',
        'app CPU ms/contract',
        'pg CPU ms/contract',
        'app cores',
        'pg cores',
        'driver cores',
        'other cores',
        'steal',
        'load 1m',
      ],
    ];
    const row = (name: string, count: number, picked: RunResult[]): string[] => {
      const pooled = picked.flatMap((result) => result.latencies).sort((a, b) => a - b);
      const med = (get: (result: RunResult) => number) => median(picked.map(get));
      return [
        name,
        String(count),
        String(med((result) => result.contracts)),
        fmt(med((result) => result.wallMs / 1000)),
        fmt(med((result) => result.perMinute)),
        fmt(percentile(pooled, 0.5) / 1000, 2),
        fmt(percentile(pooled, 0.99) / 1000, 2),
        fmt(median(picked.flatMap((result) => result.clockWaitMs)) / 1000, 2),
        fmt(
          med((result) => result.clock.advances),
          0,
        ),
        fmt(med((result) => (100 * result.clock.busyMs) / result.wallMs)),
        fmt(
          med((result) => result.cpuPerContract.app),
          0,
        ),
        fmt(
          med((result) => result.cpuPerContract.postgres),
          0,
        ),
        fmt(
          med((result) => result.cores.app),
          2,
        ),
        fmt(
          med((result) => result.cores.postgres),
          2,
        ),
        fmt(
          med((result) => result.cores.driver),
          2,
        ),
        fmt(
          med((result) => result.cores.others),
          2,
        ),
        fmt(
          med((result) => result.cores.steal),
          2,
        ),
        fmt(
          med((result) => result.load[0]),
          2,
        ),
      ];
    };
    for (const result of results) table.push(row(result.label, result.instances, [result]));
    const perCount = new Map<number, number>();
    for (const count of INSTANCE_COUNTS) {
      const picked = results.filter((result) => result.instances === count);
      table.push(row(`median (${picked.length} runs)`, count, picked));
      perCount.set(count, median(picked.map((result) => result.perMinute)));
    }
    const widths = table[0].map((_, column) =>
      Math.max(...table.map((line) => line[column].length)),
    );
    console.log('');
    console.log(
      `Full lifecycles award → paid through HTTP: 3 task lines × 3 villages, 18 register rows; ${CONTRACTS} contracts per run, ${DRIVERS} drivers, clock advanced on demand; runs alternate ${INSTANCE_COUNTS.join('/')} app processes`,
    );
    for (const line of table)
      console.log(line.map((cell, column) => cell.padEnd(widths[column])).join('  '));
    console.log(
      '(p50/p99 of the median rows: over the pooled lifecycles of those runs; p99 of one run = its slowest lifecycle)',
    );
    if (perCount.has(1)) {
      const width = INSTANCE_COUNTS.length;
      const single = INSTANCE_COUNTS.indexOf(1);
      for (const [position, count] of INSTANCE_COUNTS.entries()) {
        if (count === 1) continue;
        // Runs alternate, so each run with `count` processes has a 1-process neighbour of the same round.
        const pairs = Array.from(
          { length: RUNS },
          (_, run) =>
            results[run * width + position].perMinute / results[run * width + single].perMinute,
        );
        const perMinute = perCount.get(count) as number;
        console.log(
          `scaling: ${count} app processes vs 1: medians ${fmt(perMinute)} vs ${fmt(perCount.get(1) as number)} contracts/min = ${fmt(perMinute / (perCount.get(1) as number), 2)} ×; ` +
            `per round ${pairs.map((ratio) => fmt(ratio, 2)).join(', ')} (median ${fmt(median(pairs), 2)} ×)`,
        );
      }
    }
    for (const count of INSTANCE_COUNTS) {
      const picked = results.filter((result) => result.instances === count);
      const samples = picked.reduce((sum, result) => sum + result.activity.samples, 0);
      const byKind: Record<string, number> = {};
      for (const result of picked)
        for (const [kind, n] of Object.entries(result.activity.byKind))
          byKind[kind] = (byKind[kind] ?? 0) + n;
      const busy = Object.values(byKind).reduce((sum, n) => sum + n, 0);
      console.log(
        `app connections (${count} process(es), ${samples} samples): on average ${fmt(busy / samples, 2)} busy: ` +
          Object.entries(byKind)
            .sort((x, y) => y[1] - x[1])
            .map(([kind, n]) => `${fmt((100 * n) / busy, 0)} % ${kind}`)
            .join(', '),
      );
    }
    const all = results;
    const requestsPer = median(all.map((result) => result.requests / result.contracts));
    console.log(
      `per lifecycle: ${fmt(requestsPer, 0)} HTTP requests by the driver, + ${fmt(median(all.map((result) => result.clock.requests / result.contracts)), 2)} clock requests (shared advances); ` +
        `${fmt(median(all.map((result) => result.events)), 1)} persisted machine events (version steps), ${fmt(median(all.map((result) => result.historyRows)), 1)} history rows, ` +
        `${fmt(median(all.map((result) => result.auditEvents)), 1)} audit events, ${fmt(median(all.map((result) => result.clock.fired / result.contracts)), 1)} timers fired`,
    );
    const stepRows = [...steps.entries()]
      .map(([step, times]) => {
        const sorted = [...times].sort((a, b) => a - b);
        return {
          step,
          perLifecycle: times.length / all.reduce((sum, result) => sum + result.contracts, 0),
          p50: percentile(sorted, 0.5),
          p99: percentile(sorted, 0.99),
          total: times.reduce((sum, time) => sum + time, 0),
        };
      })
      .sort((a, b) => b.total - a.total);
    const grand = stepRows.reduce((sum, step) => sum + step.total, 0);
    console.log(
      'requests by step (all reported runs): per lifecycle, p50 / p99 ms, share of request time',
    );
    for (const step of stepRows)
      console.log(
        `  ${step.step.padEnd(22)} ${fmt(step.perLifecycle, 0).padStart(2)} × ${fmt(step.p50, 1).padStart(7)} / ${fmt(step.p99, 1).padStart(7)} ms  ${fmt((100 * step.total) / grand)} %`,
      );
    console.log(
      `checks: contracts ${states.map((state) => `${state.state} ${state.n}`).join(', ')} of ${ids.length} -> ${allPaid ? 'all paid' : 'NOT ALL PAID'}; ` +
        `Σ confirmed payouts ${money.payouts} fen (${money.confirmed}) = Σ subsidyFen of paid contracts ${money.subsidies} fen (${money.paid}) = Σ computed here ${expectedFen} -> ${moneyOk ? 'ok' : 'MISMATCH'}; ` +
        `unfired timers ${timers.pending}; audit chain ok=${chainBody.ok} (${chainBody.events} events)`,
    );
    if (!allPaid || !moneyOk || timers.pending !== 0 || !chainBody.ok) failed = true;
  } catch (error) {
    failed = true;
    console.error(error);
  } finally {
    const started = await Promise.allSettled(starting);
    await Promise.all(
      started.map((instance) =>
        instance.status === 'fulfilled' ? stopInstance(instance.value) : Promise.resolve(),
      ),
    );
  }
  return !failed;
}
