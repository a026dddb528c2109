import { Client } from 'pg';
import { AuditLogService } from '../../src/modules/audit-log/audit-log.service';
import { Api, type Session } from '../support/api';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * One audit chain per district (docs/architecture.md, "Audit log"): the link trigger locks only
 * the row's chain, so one district's commits never wait on another's, and each chain is counted,
 * linked and verified on its own. Heads kept outside (GET /audit-log/heads) find a chain cut
 * shorter, which leaves no trace in the chain itself.
 *
 * Negative controls, run in this file on every run against the trigger rewritten in the test
 * database: with one lock for every chain (as before), a district-B commit waits behind an open
 * district-A commit; with no lock at all, 200 commits across 10 districts collide: 43, 23 and 8
 * of the 200 commits failed in three runs (unique (chain, seq) turns each would-be fork into a
 * failed commit), 0 with the lock.
 */
describe('audit chains per district', () => {
  let test: TestApp;
  let auditLog: AuditLogService;
  let admin: Session;
  let api: Api;

  beforeAll(async () => {
    test = await createTestApp();
    auditLog = test.app.get(AuditLogService);
    api = new Api(test);
    admin = await api.admin();
  });
  afterAll(async () => {
    await test.close();
  });

  interface ChainState {
    chain: string;
    ok: boolean;
    events: number;
    head: { seq: number; hash: string } | null;
    firstBrokenAt?: number;
  }
  interface Report {
    ok: boolean;
    events: number;
    firstBrokenAt?: number;
    firstBrokenChain?: string;
    chains: ChainState[];
  }
  const verify = async (query = '', session: Session = admin) =>
    (await test.http().get(`/audit-log/verify${query}`).set(session.auth).expect(200))
      .body as Report;
  const chainOf = (report: Report, chain: string) =>
    report.chains.find((state) => state.chain === chain);
  const heads = async (session: Session = admin) =>
    (await test.http().get('/audit-log/heads').set(session.auth).expect(200)).body as {
      at: string;
      heads: { chain: string; seq: number; hash: string }[];
    };
  const verifyHeads = async (snapshot: object, session: Session = admin) =>
    (await test.http().post('/audit-log/verify-heads').set(session.auth).send(snapshot).expect(200))
      .body as {
      ok: boolean;
      chains: {
        chain: string;
        ok: boolean;
        problem?: string;
        firstBrokenAt?: number;
        head: { seq: number } | null;
      }[];
    };

  let serial = 0;
  const entry = (chain: string) =>
    auditLog.insert({
      chain,
      actor: { id: null, username: 'chain-test' },
      action: 'chain.tested',
      entityType: 'test',
      entityId: `e-${++serial}`,
      data: { serial, text: `第${serial}条` },
    });

  const connect = async () => {
    const client = new Client({ connectionString: test.databaseUrl });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };

  /** One committed row in each of `chains`, `times` over. */
  async function append(chains: string[], times = 1): Promise<void> {
    for (let round = 0; round < times; round++) {
      for (const chain of chains) {
        await test.dataSource.transaction(async (manager) => {
          const insert = entry(chain);
          await manager.query(insert.sql, insert.params);
        });
      }
    }
  }

  /** Runs SQL with the append-only guard off, as someone with the database's keys could. */
  const tamper = async (sql: string, params: unknown[] = []) => {
    await test.dataSource.transaction(async (manager) => {
      await manager.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change');
      await manager.query(sql, params);
      await manager.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change');
    });
  };

  /** The link trigger with its lock statement replaced, for `use`; put back afterwards. */
  async function withLink<T>(lock: string, use: () => Promise<T>): Promise<T> {
    const [{ definition }] = await test.dataSource.query<{ definition: string }[]>(
      `SELECT pg_get_functiondef('audit_event_link'::regproc) AS definition`,
    );
    const weakened = definition.replace(/PERFORM pg_advisory_xact_lock\([^;]*\);/, lock);
    expect(weakened).not.toBe(definition);
    await test.dataSource.query(weakened);
    try {
      return await use();
    } finally {
      await test.dataSource.query(definition);
    }
  }

  const settledWithin = async (work: Promise<unknown>, ms: number): Promise<boolean> =>
    Promise.race([
      work.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
    ]);

  /**
   * Transaction A links a district-A row and stays open (its deferred trigger fired early by
   * SET CONSTRAINTS … IMMEDIATE: it holds what a commit holds until its flush). Then B commits a
   * district-B row, and C a district-A row. Returns what happened while A was open.
   */
  async function commitsBesideAnOpenOne(districtA: string, districtB: string) {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    try {
      await a.query('BEGIN');
      const first = entry(districtA);
      await a.query(first.sql, first.params);
      await a.query('SET CONSTRAINTS audit_event_link IMMEDIATE');

      await b.query('BEGIN');
      const other = entry(districtB);
      await b.query(other.sql, other.params);
      const bStarted = Date.now();
      const bCommit = b.query('COMMIT');
      const bCommitted = await settledWithin(bCommit, 2_000);
      const bMs = Date.now() - bStarted;

      await c.query('BEGIN');
      const same = entry(districtA);
      await c.query(same.sql, same.params);
      const cCommit = c.query('COMMIT');
      const cCommitted = await settledWithin(cCommit, 500);
      const waiting = await test.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
      );
      await a.query('COMMIT');
      await Promise.all([bCommit, cCommit]);
      return { bCommitted, bMs, cCommitted, advisoryWaits: waiting[0].n };
    } finally {
      await Promise.all([a.end(), b.end(), c.end()]);
    }
  }

  it("a district's commit does not wait on another district's open commit; one of its own does", async () => {
    const outcome = await commitsBesideAnOpenOne('510101', '510102');
    console.log(
      `per-district lock: district B committed in ${outcome.bMs} ms beside an open district-A commit; a second district-A commit waited (${outcome.advisoryWaits} advisory lock wait)`,
    );
    expect(outcome).toMatchObject({ bCommitted: true, cCommitted: false, advisoryWaits: 1 });
    const report = await verify();
    expect(chainOf(report, '510101')).toMatchObject({ ok: true, events: 2, head: { seq: 2 } });
    expect(chainOf(report, '510102')).toMatchObject({ ok: true, events: 1, head: { seq: 1 } });
  });

  it('with one lock for every chain (as before), the other district waits: the test above can fail', async () => {
    const outcome = await withLink('PERFORM pg_advisory_xact_lock(7340001, 0);', () =>
      commitsBesideAnOpenOne('510103', '510104'),
    );
    console.log(
      `one lock for all chains: district B committed ${outcome.bCommitted ? 'at once' : 'only after district A'}`,
    );
    expect(outcome.bCommitted).toBe(false);
    expect(await verify()).toMatchObject({ ok: true });
  });

  /**
   * `clients` transactions over `chains` (round robin), each appending one row, released together
   * at COMMIT (behind a barrier, on connections opened beforehand). Returns the failed commits.
   */
  async function concurrentAppends(clients: number, chains: string[]): Promise<number> {
    const connections = await Promise.all(Array.from({ length: clients }, connect));
    try {
      await Promise.all(
        connections.map(async (client, index) => {
          await client.query('BEGIN');
          const insert = entry(chains[index % chains.length]);
          await client.query(insert.sql, insert.params);
        }),
      );
      const commits = await Promise.allSettled(connections.map((client) => client.query('COMMIT')));
      return commits.filter((commit) => commit.status === 'rejected').length;
    } finally {
      await Promise.all(connections.map((client) => client.end()));
    }
  }

  const chainFacts = (chains: string[]) =>
    test.dataSource.query<
      { chain: string; rows: number; min: number; max: number; distinct_seq: number }[]
    >(
      `SELECT chain, count(*)::int AS rows, min(seq)::int AS min, max(seq)::int AS max,
              count(DISTINCT seq)::int AS distinct_seq
         FROM audit_event WHERE chain = ANY($1) GROUP BY chain ORDER BY chain`,
      [chains],
    );

  const tenDistricts = (first: number) => Array.from({ length: 10 }, (_, i) => String(first + i));

  it('200 commits at once across 10 districts: every chain numbered 1…20, no fork, no gap', async () => {
    const districts = tenDistricts(520101);
    let failed = 0;
    for (let round = 0; round < 4; round++) failed += await concurrentAppends(50, districts);
    console.log(`per-district chains: 200 concurrent commits over 10 districts, ${failed} failed`);
    expect(failed).toBe(0);
    const facts = await chainFacts(districts);
    expect(facts).toEqual(
      districts.map((chain) => ({ chain, rows: 20, min: 1, max: 20, distinct_seq: 20 })),
    );
    const report = await verify();
    expect(report.ok).toBe(true);
    for (const chain of districts) {
      expect(chainOf(report, chain)).toMatchObject({ ok: true, events: 20, head: { seq: 20 } });
    }
  });

  it('without the lock in the link trigger, the same commits collide (the test above can fail)', async () => {
    const districts = tenDistricts(530101);
    let failed = 0;
    await withLink('', async () => {
      for (let round = 0; round < 4; round++) failed += await concurrentAppends(50, districts);
    });
    console.log(`per-district chains, no lock: ${failed} of 200 commits failed`);
    expect(failed).toBeGreaterThan(0);
    for (const facts of await chainFacts(districts)) expect(facts.distinct_seq).toBe(facts.rows);
    expect(await verify()).toMatchObject({ ok: true });
  });

  describe('tampering is found in the exact chain at the exact seq', () => {
    // Each case gets its own three districts; the tampered one is removed afterwards.
    let next = 540100;
    let chains: string[];
    beforeEach(async () => {
      chains = [String((next += 10)), String(next + 1), String(next + 2)];
      await append(chains, 15);
      expect(await verify()).toMatchObject({ ok: true });
    });
    afterEach(async () => {
      await tamper(`DELETE FROM audit_event WHERE chain = ANY($1)`, [chains]);
      expect(await verify()).toMatchObject({ ok: true });
    });
    const expectBroken = async (chain: string, seq: number) => {
      const report = await verify();
      expect(report).toMatchObject({ ok: false, firstBrokenAt: seq, firstBrokenChain: chain });
      expect(chainOf(report, chain)).toMatchObject({ ok: false, firstBrokenAt: seq });
      for (const other of chains.filter((name) => name !== chain)) {
        expect(chainOf(report, other)).toMatchObject({ ok: true, events: 15 });
      }
      expect(await verify(`?chain=${chain}`)).toMatchObject({
        ok: false,
        firstBrokenAt: seq,
        chains: [{ chain, ok: false, firstBrokenAt: seq }],
      });
    };

    it('an edited row', async () => {
      await tamper(`UPDATE audit_event SET data = '{"n": -1}' WHERE chain = $1 AND seq = 5`, [
        chains[1],
      ]);
      await expectBroken(chains[1], 5);
    });

    it('a deleted row', async () => {
      await tamper(`DELETE FROM audit_event WHERE chain = $1 AND seq = 9`, [chains[2]]);
      await expectBroken(chains[2], 10);
    });

    it('two swapped rows', async () => {
      await tamper(
        `UPDATE audit_event a
            SET at = b.at, actor_id = b.actor_id, actor_username = b.actor_username,
                action = b.action, entity_type = b.entity_type, entity_id = b.entity_id,
                data = b.data, body_sha256 = b.body_sha256
           FROM audit_event b
          WHERE a.chain = $1 AND b.chain = $1 AND (a.seq, b.seq) IN ((11, 12), (12, 11))`,
        [chains[0]],
      );
      await expectBroken(chains[0], 11);
    });

    it('a row moved to the end of another chain', async () => {
      await tamper(`UPDATE audit_event SET chain = $2, seq = 16 WHERE chain = $1 AND seq = 15`, [
        chains[0],
        chains[1],
      ]);
      const report = await verify();
      expect(report).toMatchObject({ ok: false, firstBrokenAt: 16, firstBrokenChain: chains[1] });
      expect(chainOf(report, chains[1])).toMatchObject({
        ok: false,
        events: 15,
        firstBrokenAt: 16,
      });
      // The chain it left is one shorter and still verifies: that takes a kept head (below).
      expect(chainOf(report, chains[0])).toMatchObject({ ok: true, events: 14 });
    });

    it('rows cut from the end: no trace in the chain, found against a kept heads snapshot', async () => {
      const kept = await heads();
      expect(kept.heads).toEqual(
        expect.arrayContaining(
          chains.map((chain) => ({ chain, seq: 15, hash: expect.any(String) })),
        ),
      );
      expect(await verifyHeads(kept)).toMatchObject({ ok: true });

      await tamper(`DELETE FROM audit_event WHERE chain = $1 AND seq > 12`, [chains[1]]);
      // The chain itself still verifies: truncation leaves nothing to see in it…
      expect(chainOf(await verify(), chains[1])).toMatchObject({ ok: true, events: 12 });
      // …but not against the kept snapshot: the first missing row is seq 13, in that chain only.
      const checked = await verifyHeads(kept);
      expect(checked.ok).toBe(false);
      const bad = checked.chains.filter((state) => !state.ok);
      expect(bad).toEqual([
        expect.objectContaining({
          chain: chains[1],
          problem: 'truncated',
          firstBrokenAt: 13,
          head: expect.objectContaining({ seq: 12 }),
        }),
      ]);
    });

    it('a whole chain deleted is found against the kept snapshot at seq 1', async () => {
      const kept = await heads();
      await tamper(`DELETE FROM audit_event WHERE chain = $1`, [chains[2]]);
      expect(await verify()).toMatchObject({ ok: true });
      const checked = await verifyHeads(kept);
      expect(checked.chains.filter((state) => !state.ok)).toEqual([
        expect.objectContaining({ chain: chains[2], problem: 'truncated', firstBrokenAt: 1 }),
      ]);
    });

    it('a chain cut and appended to again (so that it reaches the kept seq) differs from the snapshot', async () => {
      const kept = await heads();
      await tamper(`DELETE FROM audit_event WHERE chain = $1 AND seq > 13`, [chains[0]]);
      await append([chains[0]], 2); // linked by the trigger: the chain verifies
      expect(chainOf(await verify(), chains[0])).toMatchObject({ ok: true, events: 15 });
      const checked = await verifyHeads(kept);
      expect(checked.chains.filter((state) => !state.ok)).toEqual([
        expect.objectContaining({ chain: chains[0], problem: 'differs', firstBrokenAt: 15 }),
      ]);
    });

    it('a kept head as printed on a document (16 hex digits) will do', async () => {
      const { heads: all } = await heads();
      const head = all.find((candidate) => candidate.chain === chains[0]);
      const printed = { chain: chains[0], seq: head?.seq, hash: head?.hash.slice(0, 16) };
      expect(await verifyHeads({ heads: [printed] })).toMatchObject({ ok: true });
      await tamper(`DELETE FROM audit_event WHERE chain = $1 AND seq >= 14`, [chains[0]]);
      expect(await verifyHeads({ heads: [printed] })).toMatchObject({
        ok: false,
        chains: [{ chain: chains[0], problem: 'truncated', firstBrokenAt: 14 }],
      });
    });
  });

  describe('who sees which chain', () => {
    let district: string;
    let observer: Session;
    beforeAll(async () => {
      ({ district } = await api.regionTree(1));
      observer = await api.user('observer', { regionCode: district });
      await append([district, '550101'], 3);
    });

    it("an observer verifies its district's chain and the administrative one, no other", async () => {
      const report = await verify('', observer);
      expect(report.chains.map((state) => state.chain)).toEqual([district, 'admin']);
      expect(report).toMatchObject({ ok: true });
      expect(chainOf(report, district)).toMatchObject({ ok: true, events: 3 });
      await test.http().get('/audit-log/verify?chain=550101').set(observer.auth).expect(404);
      expect(await verify(`?chain=${district}`, observer)).toMatchObject({
        ok: true,
        events: 3,
        chains: [{ chain: district }],
      });
      const snapshot = await heads(observer);
      expect(snapshot.heads.map((head) => head.chain).sort()).toEqual([district, 'admin'].sort());
      expect(await verifyHeads(snapshot, observer)).toMatchObject({ ok: true });
      await test
        .http()
        .post('/audit-log/verify-heads')
        .set(observer.auth)
        .send({ heads: [{ chain: '550101', seq: 1, hash: '0'.repeat(64) }] })
        .expect(404);
    });

    it('an administrator sees every chain; a chain without events verifies empty', async () => {
      const report = await verify();
      expect(report.chains.map((state) => state.chain)).toEqual(
        expect.arrayContaining([district, '550101', 'admin']),
      );
      expect(await verify('?chain=559999')).toEqual({
        ok: true,
        events: 0,
        chains: [{ chain: '559999', ok: true, events: 0, head: null }],
      });
    });

    it('refuses a malformed chain or snapshot (400) and every other role (403)', async () => {
      await test.http().get('/audit-log/verify?chain=x1').set(admin.auth).expect(400);
      await test
        .http()
        .post('/audit-log/verify-heads')
        .set(admin.auth)
        .send({ heads: [{ chain: 'admin', seq: 0, hash: 'xyz' }] })
        .expect(400);
      const agri = await api.user('district_agri', { regionCode: district });
      for (const [method, path] of [
        ['get', '/audit-log/verify'],
        ['get', '/audit-log/heads'],
        ['post', '/audit-log/verify-heads'],
      ] as const) {
        await test.http()[method](path).set(agri.auth).send({ heads: [] }).expect(403);
      }
    });
  });
});
