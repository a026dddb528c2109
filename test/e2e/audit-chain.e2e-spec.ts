import { Client } from 'pg';
import {
  ADMIN_CHAIN,
  AuditLogService,
  eventBodySha256,
} from '../../src/modules/audit-log/audit-log.service';
import { Api } from '../support/api';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * One audit chain (here the administrative one) under concurrent commits (quality.md, "audit
 * chain"): rows are inserted unlinked and linked by the deferred trigger `audit_event_link` when
 * their transaction commits. Per-district chains: audit-chain-districts.e2e-spec.ts.
 */
describe('audit chain', () => {
  let test: TestApp;
  let auditLog: AuditLogService;

  beforeAll(async () => {
    test = await createTestApp();
    auditLog = test.app.get(AuditLogService);
  });
  afterAll(async () => {
    await test.close();
  });

  let adminAuth: Record<string, string>;
  beforeAll(async () => {
    adminAuth = (await new Api(test).admin()).auth;
  });
  const verify = async () =>
    (await test.http().get('/audit-log/verify').set(adminAuth).expect(200)).body as {
      ok: boolean;
      events: number;
      firstBrokenAt?: number;
    };

  const entry = (n: number) =>
    auditLog.insert({
      chain: ADMIN_CHAIN,
      actor: { id: null, username: 'chain-test' },
      action: 'chain.tested',
      entityType: 'test',
      entityId: `e-${n}`,
      data: { n, text: `第${n}条` },
    });

  /**
   * `clients` transactions, each appending one row, released together at COMMIT (behind a
   * barrier, on connections opened beforehand). Returns how many commits failed.
   */
  async function concurrentAppends(clients: number, first: number): Promise<number> {
    const connections = await Promise.all(
      Array.from({ length: clients }, async () => {
        const client = new Client({ connectionString: test.databaseUrl });
        client.on('error', () => undefined);
        await client.connect();
        return client;
      }),
    );
    try {
      await Promise.all(
        connections.map(async (client, index) => {
          await client.query('BEGIN');
          const insert = entry(first + index);
          await client.query(insert.sql, insert.params);
        }),
      );
      const commits = await Promise.allSettled(connections.map((client) => client.query('COMMIT')));
      return commits.filter((commit) => commit.status === 'rejected').length;
    } finally {
      await Promise.all(connections.map((client) => client.end()));
    }
  }

  const chainFacts = async () => {
    const [facts] = await test.dataSource.query<
      { rows: number; min: number; max: number; distinct_seq: number; distinct_prev: number }[]
    >(
      `SELECT count(*)::int AS rows, min(seq)::int AS min, max(seq)::int AS max,
              count(DISTINCT seq)::int AS distinct_seq, count(DISTINCT prev_hash)::int AS distinct_prev
         FROM audit_event`,
    );
    return facts;
  };

  it('200 appends committed at once form one chain: no fork, no gap, verifies', async () => {
    const before = await chainFacts();
    let failed = 0;
    for (let round = 0; round < 4; round++) failed += await concurrentAppends(50, round * 50);
    const after = await chainFacts();
    console.log(`audit chain: 200 concurrent appends, ${failed} failed commits`);
    expect(failed).toBe(0);
    expect(after.rows).toBe(before.rows + 200);
    expect(after).toMatchObject({
      min: 1,
      max: after.rows,
      distinct_seq: after.rows,
      distinct_prev: after.rows,
    });
    expect(await verify()).toMatchObject({ ok: true, events: after.rows });
  });

  it('without the lock in the link trigger, concurrent commits collide (the test above can fail)', async () => {
    const [{ definition }] = await test.dataSource.query<{ definition: string }[]>(
      `SELECT pg_get_functiondef('audit_event_link'::regproc) AS definition`,
    );
    const weakened = definition.replace(/PERFORM pg_advisory_xact_lock\([^;]*\);/, '');
    expect(weakened).not.toBe(definition);
    await test.dataSource.query(weakened);
    let failed = 0;
    try {
      for (let round = 0; round < 4 && failed === 0; round++) {
        failed += await concurrentAppends(50, 1000 + round * 50);
      }
    } finally {
      await test.dataSource.query(definition);
    }
    const facts = await chainFacts();
    console.log(`audit chain, weakened: ${failed} failed commits`);
    // The unique index on seq turns a would-be fork into a failed commit.
    expect(failed).toBeGreaterThan(0);
    expect(facts.distinct_seq).toBe(facts.rows);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('a rolled-back append leaves no row and no gap', async () => {
    const before = await chainFacts();
    await test.dataSource
      .transaction(async (manager) => {
        await auditLog.record(manager, {
          chain: ADMIN_CHAIN,
          actor: null,
          action: 'chain.rolledBack',
          entityType: 'test',
          entityId: 'r',
          data: {},
        });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await test.dataSource.transaction((manager) =>
      auditLog.record(manager, {
        chain: ADMIN_CHAIN,
        actor: null,
        action: 'chain.kept',
        entityType: 'test',
        entityId: 'k',
        data: {},
      }),
    );
    const after = await chainFacts();
    expect(after.rows).toBe(before.rows + 1);
    expect(after.max).toBe(before.max + 1);
    const [{ n }] = await test.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'chain.rolledBack'`,
    );
    expect(n).toBe(0);
  });

  describe('tampering is found at the exact row', () => {
    /** Runs SQL with the append-only guard off, as someone with the database's keys could. */
    const tamper = async (sql: string, params: unknown[] = []) => {
      await test.dataSource.transaction(async (manager) => {
        await manager.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change');
        await manager.query(sql, params);
        await manager.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change');
      });
    };
    let snapshot: string;
    beforeEach(async () => {
      expect(await verify()).toMatchObject({ ok: true });
      snapshot = `tamper_${Math.random().toString(36).slice(2, 8)}`;
      await test.dataSource.query(`CREATE TABLE ${snapshot} AS SELECT * FROM audit_event`);
    });
    afterEach(async () => {
      // Put the chain back for the next case.
      await tamper(`DELETE FROM audit_event`);
      await test.dataSource.transaction(async (manager) => {
        await manager.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_link');
        await manager.query(
          `INSERT INTO audit_event OVERRIDING SYSTEM VALUE SELECT * FROM ${snapshot}`,
        );
        await manager.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_link');
      });
      await test.dataSource.query(`DROP TABLE ${snapshot}`);
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('an edited row', async () => {
      await tamper(`UPDATE audit_event SET data = '{"n": -1}' WHERE seq = 5`);
      expect(await verify()).toMatchObject({ ok: false, firstBrokenAt: 5 });
    });

    it('an edited row whose content digest was recomputed', async () => {
      const [row] = await test.dataSource.query<Record<string, unknown>[]>(
        `SELECT at, actor_id, actor_username, action, entity_type, entity_id FROM audit_event WHERE seq = 7`,
      );
      const forged = eventBodySha256({
        at: row.at as Date,
        actorId: row.actor_id as string | null,
        actorUsername: row.actor_username as string | null,
        action: row.action as string,
        entityType: row.entity_type as string,
        entityId: row.entity_id as string,
        data: { forged: true },
      });
      await tamper(
        `UPDATE audit_event SET data = '{"forged": true}', body_sha256 = $1 WHERE seq = 7`,
        [forged],
      );
      expect(await verify()).toMatchObject({ ok: false, firstBrokenAt: 7 });
    });

    it('a deleted row', async () => {
      await tamper(`DELETE FROM audit_event WHERE seq = 9`);
      expect(await verify()).toMatchObject({ ok: false, firstBrokenAt: 10 });
    });

    it('two swapped rows', async () => {
      // Each row takes the other's content, digest included: both links stay in place.
      await tamper(
        `UPDATE audit_event a
            SET at = b.at, actor_id = b.actor_id, actor_username = b.actor_username,
                action = b.action, entity_type = b.entity_type, entity_id = b.entity_id,
                data = b.data, body_sha256 = b.body_sha256
           FROM audit_event b
          WHERE (a.seq, b.seq) IN ((11, 12), (12, 11))`,
      );
      expect(await verify()).toMatchObject({ ok: false, firstBrokenAt: 11 });
    });

    it('a row written around the link trigger', async () => {
      await test.dataSource.transaction(async (manager) => {
        await manager.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_link');
        const insert = entry(9999);
        await manager.query(insert.sql, insert.params);
        await manager.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_link');
      });
      const { rows } = await chainFacts();
      expect(await verify()).toMatchObject({ ok: false, firstBrokenAt: rows });
    });
  });
});
