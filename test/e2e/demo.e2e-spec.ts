import { AuditsService } from '../../src/modules/audits/audits.service';
import { DemoSeedService } from '../../src/modules/demo/demo-seed.service';
import { Api } from '../support/api';
import { fingerprint } from '../support/fingerprint';
import { createTestApp, type TestApp } from '../support/test-app';

interface ContractBody {
  id: string;
  state: string;
  organisationId: string;
  subsidyFen: number | null;
  taskLines: { taskCode: string; state: string; unitPriceFen: number }[];
}

describe('the demo a newcomer meets (SEED_DEMO=1)', () => {
  let test: TestApp;
  let api: Api;

  beforeAll(async () => {
    test = await createTestApp({ seedDemo: true });
    api = new Api(test);
  });
  afterAll(async () => {
    await test.close();
  });

  it('loads the Qiaocheng 2014 case with contracts in several states', async () => {
    const agri = await api.login('agri', 'Demo-2014');
    const list = await test
      .http()
      .get(`/contracts?projectId=${await projectId('QC2014-SH')}`)
      .set(agri.auth)
      .expect(200);
    const contracts = list.body.items as ContractBody[];
    expect(contracts).toHaveLength(3);
    for (const contract of contracts) {
      expect(
        Object.fromEntries(contract.taskLines.map((line) => [line.taskCode, line.unitPriceFen])),
      ).toEqual({
        wheat_harvest: 6367,
        straw_crushing: 1933,
        corn_seeding: 2433,
      });
    }
    const states = contracts.map((contract) => contract.state).sort();
    expect(states).toEqual(['inService', 'inService', 'paid']);
    const paid = contracts.find((contract) => contract.state === 'paid') as ContractBody;
    expect(paid.subsidyFen).toBeGreaterThan(0);
    const lineStates = contracts
      .filter((contract) => contract.state === 'inService')
      .map((contract) =>
        contract.taskLines
          .map((line) => `${line.taskCode}:${line.state}`)
          .sort()
          .join(' '),
      );
    expect(lineStates.sort()).toEqual([
      'corn_seeding:townAcceptance straw_crushing:townAcceptance wheat_harvest:townAcceptance',
      'corn_seeding:working straw_crushing:working wheat_harvest:villageVerification',
    ]);

    const notices = await test.http().get('/public/notices').expect(200);
    expect(notices.body.total).toBe(1);
    expect(notices.body.items[0]).toMatchObject({
      kind: 'village',
      title: '邹李村 小麦机收 作业面积公示',
      state: 'running',
    });

    const history = await test
      .http()
      .get(`/contracts/${paid.id}/history`)
      .set(agri.auth)
      .expect(200);
    const events = (history.body as { event: string; at: string }[]).map((row) => row.event);
    expect(events).toEqual(
      expect.arrayContaining([
        'contract.signed',
        'objection.filed',
        'acceptance.completed',
        'payout.confirmed',
      ]),
    );
    expect((history.body as { at: string }[]).every((row) => row.at.startsWith('2015-'))).toBe(
      true,
    );

    const admin = await api.admin();
    const chain = await test.http().get('/audit-log/verify').set(admin.auth).expect(200);
    expect(chain.body.ok).toBe(true);
    const finance = await api.login('finance2', 'Demo-2014');
    const batch = await test
      .http()
      .get('/payouts/export?state=confirmed&format=csv')
      .set(finance.auth)
      .expect(200);
    expect(batch.text).toContain('亳州市焦魁农机专业合作社');
  });

  it('shows the same district under today’s rules next to the 2014 rule', async () => {
    const agri = await api.login('agri', 'Demo-2014');
    const list = await test
      .http()
      .get(`/contracts?projectId=${await projectId('QC2026-SH')}`)
      .set(agri.auth)
      .expect(200);
    const contracts = list.body.items as (Omit<ContractBody, 'taskLines'> & {
      policy: { code: string; subsidySharePct: string } | null;
      taskLines: { taskCode: string; unitPriceFen: number; subsidyPerMuFen: number }[];
    })[];
    expect(contracts).toHaveLength(2);
    // 焦魁's contract is in the district audit with its sample drawn and visited (issue 24).
    expect(contracts.map((contract) => contract.state).sort()).toEqual([
      'contracted',
      'districtAudit',
    ]);
    const audited = contracts.find((contract) => contract.state === 'districtAudit');
    const sample = await test
      .http()
      .get(`/contracts/${audited?.id}/audit/sample`)
      .set(agri.auth)
      .expect(200);
    const rows = sample.body.rows as { visit: { satisfaction: string } | null }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.visit !== null)).toBe(true);
    const lines = sample.body.taskLines as {
      taskCode: string;
      shortfallPct: string;
      maxAuditedAreaMu: string;
    }[];
    expect(
      lines.filter((line) => line.shortfallPct !== '0.00').map((line) => line.taskCode),
    ).toEqual(['wheat_harvest']);
    for (const contract of contracts) {
      expect(contract.policy).toMatchObject({ code: 'QC-2026', subsidySharePct: '30.00' });
      // 30% of 65.00 yuan = 19.50 yuan a mu; 30% of 22.00 yuan = 6.60 yuan a mu.
      expect(
        Object.fromEntries(
          contract.taskLines.map((line) => [
            line.taskCode,
            [line.unitPriceFen, line.subsidyPerMuFen],
          ]),
        ),
      ).toEqual({ wheat_harvest: [6500, 1950], straw_crushing: [2200, 660] });
    }
    // The 2014 project's contracts keep the awarded price as the subsidy per mu.
    const old = await test
      .http()
      .get(`/contracts?projectId=${await projectId('QC2014-SH')}`)
      .set(agri.auth)
      .expect(200);
    for (const contract of old.body.items as {
      policy: unknown;
      taskLines: { unitPriceFen: number; subsidyPerMuFen: number }[];
    }[]) {
      expect(contract.policy).toBeNull();
      for (const line of contract.taskLines) expect(line.subsidyPerMuFen).toBe(line.unitPriceFen);
    }
  });

  async function projectId(code: string): Promise<string> {
    const [row] = await test.dataSource.query<{ id: string }[]>(
      'SELECT id FROM project WHERE code = $1',
      [code],
    );
    return row.id;
  }
});

describe('the demo is written in one transaction', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await createTestApp();
  });
  afterAll(async () => {
    await test.close();
  });

  it('a load that fails half-way leaves nothing of it, and the next load writes it whole', async () => {
    const seed = test.app.get(DemoSeedService);
    const audits = test.app.get(AuditsService);
    // The story fails late, after the tender, the awards, the register and the notices.
    const media = jest
      .spyOn(audits, 'openMediaNotice')
      .mockRejectedValueOnce(new Error('killed half-way'));
    const before = await fingerprint(test.dataSource);
    await expect(seed.seedIfEmpty()).rejects.toThrow('killed half-way');
    expect(media).toHaveBeenCalledTimes(1);
    expect(await fingerprint(test.dataSource)).toEqual(before);

    const loaded = await seed.seedIfEmpty();
    expect(loaded?.usernames).toContain('agri');
    const [{ contracts, paid }] = await test.dataSource.query<
      { contracts: number; paid: number }[]
    >(
      `SELECT count(*)::int AS contracts, count(*) FILTER (WHERE state = 'paid')::int AS paid FROM contract`,
    );
    // The 2014 project's three contracts (one paid) and the 2026 project's two.
    expect({ contracts, paid }).toEqual({ contracts: 5, paid: 1 });
    const verified = await test
      .http()
      .get('/audit-log/verify')
      .set((await new Api(test).admin()).auth)
      .expect(200);
    expect(verified.body.ok).toBe(true);
    media.mockRestore();
  });
});
