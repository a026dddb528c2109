import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { SystemClock } from '../../src/common/clock/clock';
import { canonicalJson } from '../../src/common/values/canonical-json';
import { APP_ENTITIES } from '../../src/app.entities';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/migrate';
import { AuditLogService } from '../../src/modules/audit-log/audit-log.service';
import { createTestDatabase } from '../support/test-app';

const MIGRATION = 'AuditChainPerDistrict1795507300000';
const DISTRICTS = ['341602', '341621', '341622', '341623'];

/** The files of every migration before AuditChainPerDistrict (whatever else lands before it). */
function migrationsBefore(): string[] {
  const folder = path.join(__dirname, '..', '..', 'migrations');
  return fs
    .readdirSync(folder)
    .filter((file) => file.endsWith('.ts') && file < '1795507300000')
    .map((file) => path.join(folder, file));
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Migration AuditChainPerDistrict on an existing single chain (a county's, several districts):
 * it verifies the chain first, gives each row its object's chain, re-links each chain from 1 in
 * the old order, and the per-chain trigger goes on from there; a broken chain is refused and
 * nothing changes; `down` merges the chains back into one that the old trigger continues.
 */
describe('migration AuditChainPerDistrict on an existing chain', () => {
  const databases: { drop: () => Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  interface Planted {
    url: string;
    /** The chain each event (by old seq) must land in. */
    expected: string[];
  }

  /**
   * A database before the change holding `count` events in one chain: about contracts, projects,
   * tenders and bids of four districts, and regions and users (admin).
   */
  async function oldChain(count: number): Promise<Planted> {
    const database = await createTestDatabase({ migrate: false });
    databases.push(database);
    const old = new DataSource({
      ...dataSourceOptions(database.url, 2),
      migrations: migrationsBefore(),
    });
    await old.initialize();
    const expected: string[] = [];
    try {
      await old.runMigrations({ transaction: 'each' });
      // The objects the events are about; foreign keys aside (only their district matters here).
      const objects: { type: string; id: string; chain: string }[] = [];
      await old.transaction(async (manager) => {
        await manager.query(`SET LOCAL session_replication_role = replica`);
        for (const district of DISTRICTS) {
          const project = randomUUID();
          const tender = randomUUID();
          await manager.query(
            `INSERT INTO project (id, code, name, year, district_code, service_start, service_end)
             VALUES ($1, 'P1', '项目', 2015, $2, '2015-06-01', '2015-06-30')`,
            [project, district],
          );
          await manager.query(
            `INSERT INTO tender (id, project_id, district_code, method, published_in, published_on, opening_on)
             VALUES ($1, $2, $3, 'open', '报', '2015-05-01', '2015-05-10')`,
            [tender, project, district],
          );
          // A bid's chain is its tender's district.
          const bid = randomUUID();
          await manager.query(
            `INSERT INTO bid (id, tender_id, lot_id, organisation_id, prices) VALUES ($1, $2, $3, $4, '{}')`,
            [bid, tender, randomUUID(), randomUUID()],
          );
          objects.push(
            { type: 'project', id: project, chain: district },
            { type: 'tender', id: tender, chain: district },
            { type: 'bid', id: bid, chain: district },
          );
          for (let n = 0; n < 3; n++) {
            const contract = randomUUID();
            await manager.query(
              `INSERT INTO contract (id, project_id, tender_id, lot_id, lot_code, organisation_id, district_code, state, work_deadline, awarded_on)
               VALUES ($1, $2, $3, $4, 'L1', $5, $6, 'awarded', '2015-06-30', '2015-05-20')`,
              [contract, project, tender, randomUUID(), randomUUID(), district],
            );
            objects.push({ type: 'contract', id: contract, chain: district });
          }
        }
      });
      objects.push(
        { type: 'region', id: '341602', chain: 'admin' },
        { type: 'user', id: randomUUID(), chain: 'admin' },
        // An event about a contract the database does not hold: the admin chain.
        { type: 'contract', id: randomUUID(), chain: 'admin' },
      );

      let prev = '0'.repeat(64);
      const rows: unknown[][] = [];
      for (let seq = 1; seq <= count; seq++) {
        const object = objects[(seq * 7) % objects.length];
        const event = {
          at: new Date(Date.UTC(2015, 5, 1, 8, 0, seq % 60, seq % 1000)),
          actorId: null,
          actorUsername: seq % 3 === 0 ? 'scheduler' : `user-${seq % 7}`,
          action: `${object.type}.changed`,
          entityType: object.type,
          entityId: object.id,
          data: { seq, nested: { b: 1, a: [seq, '二'] } },
        };
        const body = sha256(canonicalJson(event));
        const hash = sha256(`${prev}\n${seq}\n${body}`);
        rows.push([seq, event.at, event.actorUsername, event.action, object.type, object.id]);
        rows[rows.length - 1].push(JSON.stringify(event.data), body, prev, hash);
        expected.push(object.chain);
        prev = hash;
      }
      await old.transaction(async (manager) => {
        await manager.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_link');
        await manager.query(
          `INSERT INTO audit_event (seq, at, actor_id, actor_username, action, entity_type, entity_id, data, body_sha256, prev_hash, hash)
           SELECT v.seq, v.at, NULL, v.username, v.action, v.type, v.entity, v.data::jsonb, v.body, v.prev, v.hash
             FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
                         $7::text[], $8::text[], $9::text[], $10::text[])
                  AS v(seq, at, username, action, type, entity, data, body, prev, hash)`,
          [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((column) => rows.map((row) => row[column])),
        );
        await manager.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_link');
      });
    } finally {
      await old.destroy();
    }
    return { url: database.url, expected };
  }

  async function withAuditLog<T>(
    url: string,
    use: (auditLog: AuditLogService, dataSource: DataSource) => Promise<T>,
  ): Promise<T> {
    const dataSource = new DataSource(dataSourceOptions(url, 2, APP_ENTITIES));
    await dataSource.initialize();
    try {
      return await use(new AuditLogService(dataSource, new SystemClock()), dataSource);
    } finally {
      await dataSource.destroy();
    }
  }

  const record = (dataSource: DataSource, auditLog: AuditLogService, chain: string) =>
    dataSource.transaction((manager) =>
      auditLog.record(manager, {
        chain,
        actor: null,
        action: 'after.migration',
        entityType: 'test',
        entityId: chain,
        data: { chain },
      }),
    );

  it('splits 3,000 events (three pages) into per-district chains that verify, in the old order', async () => {
    const { url, expected } = await oldChain(3_000);
    const applied = await runMigrations(url);
    expect(applied).toContain(MIGRATION);
    await withAuditLog(url, async (auditLog, dataSource) => {
      const counts = new Map<string, number>();
      for (const chain of expected) counts.set(chain, (counts.get(chain) ?? 0) + 1);
      const report = await auditLog.verify();
      console.log(
        `AuditChainPerDistrict: 3,000 events → ${[...counts].map(([chain, n]) => `${chain} ${n}`).join(', ')}`,
      );
      expect(report).toMatchObject({ ok: true, events: 3_000 });
      expect(report.chains.map(({ chain, events, ok }) => ({ chain, events, ok }))).toEqual(
        [...counts.keys()].sort().map((chain) => ({ chain, events: counts.get(chain), ok: true })),
      );
      // Each row in its object's chain, numbered in the old order.
      const rows = await dataSource.query<{ chain: string; seq: string; old: number }[]>(
        `SELECT chain, seq, (data->>'seq')::int AS old FROM audit_event ORDER BY old`,
      );
      expect(rows.map((row) => row.chain)).toEqual(expected);
      const last = new Map<string, number>();
      for (const row of rows) {
        expect(Number(row.seq)).toBe((last.get(row.chain) ?? 0) + 1);
        last.set(row.chain, Number(row.seq));
      }
      // The per-chain trigger goes on from each chain's head.
      await record(dataSource, auditLog, '341621');
      await record(dataSource, auditLog, 'admin');
      expect(await auditLog.verify()).toMatchObject({ ok: true, events: 3_002 });
      const heads = await auditLog.heads();
      expect(heads.heads.find((head) => head.chain === '341621')?.seq).toBe(
        (counts.get('341621') ?? 0) + 1,
      );
    });
  });

  it('refuses to split a chain that does not verify, naming the seq, and changes nothing', async () => {
    const { url } = await oldChain(1_200);
    const tamper = new DataSource(dataSourceOptions(url, 1, APP_ENTITIES));
    await tamper.initialize();
    try {
      await tamper.transaction(async (manager) => {
        await manager.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change');
        await manager.query(`UPDATE audit_event SET data = '{"forged": true}' WHERE seq = 1017`);
        await manager.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change');
      });
      await expect(runMigrations(url)).rejects.toThrow(/broken at seq 1017/);
      const [{ columns }] = await tamper.query<{ columns: string[] }[]>(
        `SELECT array_agg(column_name::text ORDER BY column_name) AS columns
           FROM information_schema.columns WHERE table_name = 'audit_event'`,
      );
      expect(columns).not.toContain('chain');
      const [{ max, distinct }] = await tamper.query<{ max: number; distinct: number }[]>(
        'SELECT max(seq)::int AS max, count(DISTINCT seq)::int AS distinct FROM audit_event',
      );
      expect({ max, distinct }).toEqual({ max: 1_200, distinct: 1_200 });
    } finally {
      await tamper.destroy();
    }
  });

  async function undoToBefore(dataSource: DataSource): Promise<void> {
    const applied = async () =>
      (await dataSource.query<{ name: string }[]>('SELECT name FROM schema_migration')).map(
        (row) => row.name,
      );
    while ((await applied()).includes(MIGRATION)) {
      await dataSource.undoLastMigration({ transaction: 'each' });
    }
  }

  it('goes back down to one chain that verifies and that the old trigger continues', async () => {
    const { url } = await oldChain(1_100);
    await runMigrations(url);
    await withAuditLog(url, async (auditLog, dataSource) => {
      for (const chain of ['341602', 'admin', '341623']) await record(dataSource, auditLog, chain);
    });
    const dataSource = new DataSource(dataSourceOptions(url, 1, APP_ENTITIES));
    await dataSource.initialize();
    try {
      await undoToBefore(dataSource);
      await dataSource.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO audit_event (at, actor_username, action, entity_type, entity_id, data, body_sha256)
           VALUES (now(), 'x', 'after.down', 'test', 't', '{}', $1)`,
          ['f'.repeat(64)],
        );
      });
      const rows = await dataSource.query<
        { seq: string; body_sha256: string; prev_hash: string; hash: string; action: string }[]
      >('SELECT seq, body_sha256, prev_hash, hash, action FROM audit_event ORDER BY seq');
      expect(rows).toHaveLength(1_104);
      let prev = '0'.repeat(64);
      rows.forEach((row, index) => {
        expect(Number(row.seq)).toBe(index + 1);
        expect(row.prev_hash).toBe(prev);
        expect(row.hash).toBe(sha256(`${prev}\n${row.seq}\n${row.body_sha256}`));
        prev = row.hash;
      });
      expect(rows[rows.length - 1].action).toBe('after.down');
    } finally {
      await dataSource.destroy();
    }
  });

  it('refuses to go down while a district chain does not verify', async () => {
    const { url } = await oldChain(200);
    await runMigrations(url);
    const dataSource = new DataSource(dataSourceOptions(url, 1, APP_ENTITIES));
    await dataSource.initialize();
    try {
      await dataSource.transaction(async (manager) => {
        await manager.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change');
        await manager.query(`DELETE FROM audit_event WHERE chain = '341622' AND seq = 4`);
        await manager.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change');
      });
      await expect(undoToBefore(dataSource)).rejects.toThrow(/chain 341622 is broken at seq 5/);
      const [{ n }] = await dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM information_schema.columns
          WHERE table_name = 'audit_event' AND column_name = 'chain'`,
      );
      expect(n).toBe(1);
    } finally {
      await dataSource.destroy();
    }
  });
});
