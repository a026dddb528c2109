import fc from 'fast-check';
import { nextSeq } from '../factories/codes';
import { registerRows } from '../factories/register-rows';
import { Api, type Session } from '../support/api';
import { advanceClock, uploadClaimAttachments } from '../support/lifecycle';
import { openedTender } from '../support/open-tender';
import { registerCsv } from '../support/season';
import { createTestDatabase, startTestApp, TEST_ADMIN, type TestApp } from '../support/test-app';

/**
 * Lifecycle simulation (quality.md): random command sequences (fast-check model-based commands)
 * against the HTTP app and a pure reference model, with restarts of the app on the same
 * database. Each contract of the world walks award → paid one HTTP step at a time, in any
 * interleaving with the other contracts, the clock (7 days), restarts, payouts sent on the wrong
 * state and retried with the same key, and bank failures. After every command the invariants
 * are checked against the app: each contract's state is the model's; Σ confirmed payouts =
 * Σ subsidies of paid contracts = the model's sum (round half up of accepted area × 63.67);
 * at most one live payout per contract; areas only shrink stage to stage. Seeded:
 * SIM_SEED=<n> replays; BATTERY_SIZE=long runs 25 sequences of up to 80 commands.
 */
const SEED = Number(process.env.SIM_SEED ?? Math.floor(Math.random() * 2 ** 31));
const LONG = process.env.BATTERY_SIZE === 'long';
const RUNS = LONG ? 25 : 2;
const MAX_COMMANDS = LONG ? 80 : 50;
const CONTRACTS = 2;
const PRICE_FEN = 6367;

/** The steps of one contract, in order; `clock` steps wait for the 7 days to pass. */
const STEPS = [
  'sign',
  'register',
  'claim',
  'verify',
  'noticeClock',
  'accept',
  'approveAgri',
  'approveFinance',
  'mediaNotice',
  'mediaClock',
  'issue',
  'settle',
] as const;
type Step = (typeof STEPS)[number];

/** The contract state the app shows once a step is done (index = steps done). */
const STATE_AFTER: string[] = [
  'awarded',
  'contracted',
  'inService',
  'inService',
  'inService',
  'inService',
  'districtAudit',
  'districtAudit',
  'audited',
  'mediaNotice',
  'payable',
  'payoutIssued',
  'paid',
];

interface ModelContract {
  done: number;
  /** The district audit's sample is drawn (and every row of it visited as verified). */
  sampled?: boolean;
  claimed: number;
  verified?: number;
  accepted?: number;
  payoutKey?: string;
  payoutId?: string;
  paidFen: number;
}
interface Model {
  contracts: ModelContract[];
}

interface Real {
  test: TestApp;
  databaseUrl: string;
  drop: () => Promise<void>;
  api: Api;
  as: Record<string, Session>;
  /** Username and password of every session, to log in again after a restart. */
  logins: Record<string, { username: string; password: string }>;
  village: string;
  contractIds: string[];
  rowIds: (string | undefined)[];
  restarts: number;
  commands: number;
}

const halfUp = (hundredthsTimesFen: number) => Math.floor((hundredthsTimesFen + 50) / 100);
const mu = (hundredths: number) =>
  `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;

async function buildWorld(): Promise<Real> {
  const database = await createTestDatabase();
  const test = await startTestApp({ databaseUrl: database.url, testClock: true });
  const api = new Api(test);
  const tree = await api.regionTree(1);
  const village = tree.villages[0];
  const as: Record<string, Session> = {};
  const logins: Real['logins'] = {};
  const user = async (name: string, role: Parameters<Api['user']>[0], binding: object) => {
    as[name] = await api.user(role, binding);
    logins[name] = { username: as[name].username, password: `pw-${as[name].username}-secret` };
  };
  await user('agri', 'district_agri', { regionCode: tree.district });
  await user('approver', 'district_finance', { regionCode: tree.district });
  await user('payer', 'district_finance', { regionCode: tree.district });
  await user('verifier', 'village_verifier', { regionCode: village });
  const roles = [
    'station_head',
    'technical_guidance',
    'township_leader',
    'farmer_supervisor',
    'technical_guidance',
  ];
  for (const [i, acceptanceRole] of roles.entries())
    await user(`acceptor${i}`, 'town_acceptor', { regionCode: tree.town, acceptanceRole });
  const organisation = await api.organisation();
  await user('coop', 'cooperative', { organisationId: organisation.id });
  as.admin = await api.admin();
  logins.admin = TEST_ADMIN;
  const contractIds: string[] = [];
  for (let i = 0; i < CONTRACTS; i++) {
    const tender = await openedTender(test, {
      agri: as.agri,
      coop: as.coop,
      districtCode: tree.district,
      villageCodes: [village],
      code: `SIM-${nextSeq()}`,
      name: '模拟项目',
      year: 2015,
      serviceStart: '2015-06-01',
      serviceEnd: '2015-06-30',
      publishedIn: '《亳州晚报》',
      publishedOn: '2015-05-01',
      openingOn: '2015-05-02',
      task: { code: 'wheat_harvest', name: '小麦机收', areaMu: 1000 },
      unitPriceYuan: '63.67',
    });
    const award = await tender
      .award({ workDeadline: '2015-06-30', awardedOn: '2015-05-03' })
      .expect(201);
    contractIds.push(award.body.contractId as string);
  }
  return {
    test,
    databaseUrl: database.url,
    drop: database.drop,
    api,
    as,
    logins,
    village,
    contractIds,
    rowIds: contractIds.map(() => undefined),
    restarts: 0,
    commands: 0,
  };
}

/** The invariants, against the app, after every command. */
async function checkInvariants(model: Model, real: Real): Promise<void> {
  const http = () => real.test.http();
  let paidSubsidies = 0;
  let modelPaid = 0;
  for (const [i, id] of real.contractIds.entries()) {
    const contract = (await http().get(`/contracts/${id}`).set(real.as.agri.auth).expect(200)).body;
    const m = model.contracts[i];
    expect({ contract: i, state: contract.state }).toEqual({
      contract: i,
      state: STATE_AFTER[m.done],
    });
    if (contract.state === 'paid') paidSubsidies += contract.subsidyFen as number;
    modelPaid += m.paidFen;
    const line = contract.taskLines[0];
    const stages = [
      line.claimedAreaMu,
      line.verifiedAreaMu,
      line.acceptedAreaMu,
      line.auditedAreaMu,
    ]
      .filter((area) => area !== null && area !== undefined)
      .map(Number);
    for (let s = 1; s < stages.length; s++) expect(stages[s]).toBeLessThanOrEqual(stages[s - 1]);
  }
  const [{ confirmed }] = await real.test.dataSource.query<{ confirmed: string }[]>(
    `SELECT coalesce(sum(amount_fen), 0)::text AS confirmed FROM payout WHERE state = 'confirmed'`,
  );
  expect({ confirmed: Number(confirmed), paidSubsidies }).toEqual({
    confirmed: modelPaid,
    paidSubsidies: modelPaid,
  });
  const doubles = await real.test.dataSource.query<unknown[]>(
    `SELECT contract_id FROM payout WHERE state IN ('issued', 'confirmed') GROUP BY contract_id HAVING count(*) > 1`,
  );
  expect(doubles).toEqual([]);
}

/** One HTTP step of contract `i`: what the model expects it to do, and the requests that do it. */
class StepCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly i: number,
    readonly cut: number,
    readonly settle: 'confirm' | 'fail',
  ) {}
  step(m: Model): Step {
    return STEPS[m.contracts[this.i].done];
  }
  check(m: Model): boolean {
    const c = m.contracts[this.i];
    return c.done < STEPS.length && !this.step(m).endsWith('Clock');
  }
  async run(m: Model, r: Real): Promise<void> {
    const c = m.contracts[this.i];
    const id = r.contractIds[this.i];
    const http = () => r.test.http();
    const line = `/contracts/${id}/task-lines/wheat_harvest`;
    switch (this.step(m)) {
      case 'sign':
        await http()
          .post(`/contracts/${id}/sign`)
          .set(r.as.agri.auth)
          .send({ contractNo: `SIM-${id}`, signedOn: '2015-05-04' })
          .expect(200);
        break;
      case 'register': {
        const csv = registerCsv(registerRows(r.village, 'wheat_harvest', [c.claimed]));
        const imported = await http()
          .post(`/contracts/${id}/register`)
          .set(r.as.coop.auth)
          .attach('file', Buffer.from(csv), 'register.csv')
          .expect(200);
        expect(imported.body.accepted).toBe(1);
        break;
      }
      case 'claim':
        await uploadClaimAttachments(r.test, r.as.coop, id);
        await http().post(`${line}/claim`).set(r.as.coop.auth).expect(200);
        break;
      case 'verify': {
        const rows = await http()
          .get(`/contracts/${id}/register`)
          .set(r.as.verifier.auth)
          .expect(200);
        r.rowIds[this.i] = rows.body.items[0].id as string;
        c.verified = c.claimed - Math.min(this.cut, c.claimed);
        await http()
          .post(`${line}/villages/${r.village}/verification`)
          .set(r.as.verifier.auth)
          .send({ rows: [{ rowId: r.rowIds[this.i], verifiedAreaMu: mu(c.verified) }] })
          .expect(200);
        break;
      }
      case 'accept': {
        c.accepted = (c.verified as number) - Math.min(this.cut, c.verified as number);
        const record = await http()
          .post(`${line}/acceptance`)
          .set(r.as.acceptor0.auth)
          .send({ villages: [{ villageCode: r.village, acceptedAreaMu: mu(c.accepted) }] })
          .expect(201);
        for (let s = 0; s < 5; s++)
          await http()
            .post(`/acceptance-records/${record.body.id}/signatures`)
            .set(r.as[`acceptor${s}`].auth)
            .send({ decision: 'pass' })
            .expect(200);
        break;
      }
      case 'approveAgri':
        await http()
          .post(`/contracts/${id}/audit/approvals`)
          .set(r.as.agri.auth)
          .send({})
          .expect(200);
        break;
      case 'approveFinance':
        await http()
          .post(`/contracts/${id}/audit/approvals`)
          .set(r.as.approver.auth)
          .send({})
          .expect(200);
        break;
      case 'mediaNotice':
        await http()
          .post(`/contracts/${id}/media-notice`)
          .set(r.as.agri.auth)
          .send({ mediaName: '《亳州晚报》', publishedOn: '2015-07-20' })
          .expect(200);
        break;
      case 'issue': {
        c.payoutKey = `sim-${id}-${nextSeq()}`;
        const payout = await http()
          .post(`/contracts/${id}/payouts`)
          .set(r.as.payer.auth)
          .set('Idempotency-Key', c.payoutKey)
          .send({})
          .expect(201);
        expect(payout.body.amountFen).toBe(halfUp((c.accepted as number) * PRICE_FEN));
        c.payoutId = payout.body.id as string;
        break;
      }
      case 'settle':
        if (this.settle === 'confirm') {
          await http()
            .post(`/payouts/${c.payoutId}/confirm`)
            .set(r.as.payer.auth)
            .send({ bankReference: `B-${c.payoutId}` })
            .expect(200);
          c.paidFen = halfUp((c.accepted as number) * PRICE_FEN);
        } else {
          await http()
            .post(`/payouts/${c.payoutId}/fail`)
            .set(r.as.payer.auth)
            .send({ reason: '账户冻结' })
            .expect(200);
          c.done -= 2; // payable again: the next step is a new payout
          c.payoutKey = undefined;
          c.payoutId = undefined;
        }
        break;
      case 'noticeClock':
      case 'mediaClock':
        throw new Error('a clock step is the clock command’s');
    }
    c.done++;
    r.commands++;
    await checkInvariants(m, r);
  }
  toString(): string {
    return `step(${this.i}, cut ${this.cut}, ${this.settle})`;
  }
}

/** Seven days pass: every running notice clears (the contracts waiting on one move on). */
class ClockCommand implements fc.AsyncCommand<Model, Real> {
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    await advanceClock(r.test, r.as.admin, { advanceDays: 7 });
    for (const c of m.contracts)
      if (c.done < STEPS.length && STEPS[c.done].endsWith('Clock')) c.done++;
    r.commands++;
    await checkInvariants(m, r);
  }
  toString(): string {
    return 'clock(7 days)';
  }
}

/** The app stops and starts again on the same database (a new signing key: everyone logs in again). */
class RestartCommand implements fc.AsyncCommand<Model, Real> {
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    await r.test.close();
    r.test = await startTestApp({ databaseUrl: r.databaseUrl, testClock: true });
    r.api = new Api(r.test);
    for (const [name, { username, password }] of Object.entries(r.logins))
      r.as[name] = await r.api.login(username, password);
    r.restarts++;
    r.commands++;
    await checkInvariants(m, r);
  }
  toString(): string {
    return 'restart';
  }
}

/**
 * A payout asked for on contract `i` whatever its state: not payable → 409 and nothing written;
 * the issued payout's own key again → the same payout; payable → it is the issue step.
 */
class PayoutAttemptCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly i: number) {}
  check(m: Model): boolean {
    return STEPS[m.contracts[this.i].done] !== 'issue';
  }
  async run(m: Model, r: Real): Promise<void> {
    const c = m.contracts[this.i];
    const id = r.contractIds[this.i];
    const key = c.payoutKey && STEPS[c.done] === 'settle' ? c.payoutKey : `stray-${nextSeq()}`;
    const response = await r.test
      .http()
      .post(`/contracts/${id}/payouts`)
      .set(r.as.payer.auth)
      .set('Idempotency-Key', key)
      .send({});
    if (key === c.payoutKey)
      expect({ status: response.status, id: response.body.id }).toEqual({
        status: 201,
        id: c.payoutId,
      });
    else
      expect({ status: response.status, code: response.body.code }).toEqual({
        status: 409,
        // api.md: another key while a payout is issued or confirmed → PAYOUT_EXISTS.
        code: c.done >= STEPS.indexOf('settle') ? 'PAYOUT_EXISTS' : 'INVALID_TRANSITION',
      });
    r.commands++;
    await checkInvariants(m, r);
  }
  toString(): string {
    return `payoutAttempt(${this.i})`;
  }
}

/**
 * The district audit's sample of contract `i` whatever its state (issue 24): in the district audit
 * the first draw is 201 and every sampled row is visited at its verified area (so the audit's
 * maximum is the accepted area and the model's subsidy stands); a second draw is 409
 * AUDIT_SAMPLE_EXISTS; outside the district audit 409 INVALID_TRANSITION.
 */
class AuditSampleCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly i: number) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    const c = m.contracts[this.i];
    const id = r.contractIds[this.i];
    const response = await r.test.http().post(`/contracts/${id}/audit/sample`).set(r.as.agri.auth);
    if (STATE_AFTER[c.done] !== 'districtAudit' || c.sampled) {
      expect({ status: response.status, code: response.body.code }).toEqual({
        status: 409,
        code:
          STATE_AFTER[c.done] === 'districtAudit' ? 'AUDIT_SAMPLE_EXISTS' : 'INVALID_TRANSITION',
      });
    } else {
      expect(response.status).toBe(201);
      for (const row of response.body.rows as { rowId: string; verifiedAreaMu: string }[]) {
        await r.test
          .http()
          .post(`/audit-samples/${response.body.id}/visits`)
          .set(r.as.agri.auth)
          .send({
            rowId: row.rowId,
            visitedOn: '2015-07-15',
            method: 'household',
            householdConfirms: true,
            observedAreaMu: row.verifiedAreaMu,
          })
          .expect(201);
      }
      c.sampled = true;
    }
    r.commands++;
    await checkInvariants(m, r);
  }
  toString(): string {
    return `auditSample(${this.i})`;
  }
}

describe('lifecycle simulation: random command sequences against the HTTP app and a reference model', () => {
  const figures = { runs: 0, commands: 0, restarts: 0, paid: 0, violations: 0 };

  afterAll(() => {
    console.log(
      `lifecycle simulation (seed ${SEED}, replay: SIM_SEED=${SEED}): ${figures.runs} runs, ${figures.commands} commands, ` +
        `${figures.restarts} restarts, ${figures.paid} contracts paid; invariant violations ${figures.violations}`,
    );
  });

  it('keeps every invariant through random steps, clocks, restarts and stray payouts', async () => {
    console.log(`lifecycle simulation seed ${SEED} (replay: SIM_SEED=${SEED})`);
    const index = fc.integer({ min: 0, max: CONTRACTS - 1 });
    const commands = [
      fc
        .tuple(
          index,
          fc.integer({ min: 0, max: 250 }),
          fc.constantFrom('confirm' as const, 'confirm' as const, 'fail' as const),
        )
        .map(([i, cut, settle]) => new StepCommand(i, cut, settle)),
      fc
        .tuple(index, fc.integer({ min: 0, max: 250 }))
        .map(([i, cut]) => new StepCommand(i, cut, 'confirm')),
      fc
        .tuple(index, fc.integer({ min: 0, max: 250 }))
        .map(([i, cut]) => new StepCommand(i, cut, 'confirm')),
      fc
        .tuple(index, fc.integer({ min: 0, max: 250 }))
        .map(([i, cut]) => new StepCommand(i, cut, 'confirm')),
      fc.constant(new ClockCommand()),
      fc.constant(new RestartCommand()),
      index.map((i) => new PayoutAttemptCommand(i)),
      index.map((i) => new AuditSampleCommand(i)),
    ];
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.commands(commands, { maxCommands: MAX_COMMANDS, size: 'max' }),
          fc.array(fc.integer({ min: 1001, max: 9999 }), {
            minLength: CONTRACTS,
            maxLength: CONTRACTS,
          }),
          async (sequence, areas) => {
            const real = await buildWorld();
            const model: Model = {
              contracts: areas.map((claimed) => ({ done: 0, claimed, paidFen: 0 })),
            };
            try {
              await fc.asyncModelRun(() => ({ model, real }), sequence);
            } finally {
              figures.runs++;
              figures.commands += real.commands;
              figures.restarts += real.restarts;
              figures.paid += model.contracts.filter((c) => c.done === STEPS.length).length;
              await real.test.close();
              await real.drop();
            }
          },
        ),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    } catch (error) {
      figures.violations++;
      throw error;
    }
  }, 900_000);
});
