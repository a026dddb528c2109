import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Initial1795500555361 } from '../../migrations/1795500555361-Initial';
import { AddProjectsTendersContracts1795501450112 } from '../../migrations/1795501450112-AddProjectsTendersContracts';
import { AddLifecycleNoticesTimers1795502141825 } from '../../migrations/1795502141825-AddLifecycleNoticesTimers';
import { AddAttachments1795503512384 } from '../../migrations/1795503512384-AddAttachments';
import { AddAcceptanceAuditPayouts1795504430486 } from '../../migrations/1795504430486-AddAcceptanceAuditPayouts';
import { AddIssuedDocuments1795505621115 } from '../../migrations/1795505621115-AddIssuedDocuments';
import { SystemClock } from '../../src/common/clock/clock';
import { canonicalJson } from '../../src/common/values/canonical-json';
import { APP_ENTITIES } from '../../src/app.entities';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/migrate';
import { AuditLogService } from '../../src/modules/audit-log/audit-log.service';
import { createTestDatabase } from '../support/test-app';

/** The migrations before the audit chain was linked at COMMIT. */
const BEFORE = [
  Initial1795500555361,
  AddProjectsTendersContracts1795501450112,
  AddLifecycleNoticesTimers1795502141825,
  AddAttachments1795503512384,
  AddAcceptanceAuditPayouts1795504430486,
  AddIssuedDocuments1795505621115,
];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Migration AuditChainAtCommit re-links an existing chain (the demo's, or a county's) under the
 * new formula: it must verify the old chain first, keep every event, and leave a chain that the
 * new verifier and the new link trigger continue.
 */
describe('migration AuditChainAtCommit on an existing chain', () => {
  const databases: { drop: () => Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  /** A database migrated up to before the change, holding `count` events chained the old way. */
  async function oldChain(count: number): Promise<string> {
    const database = await createTestDatabase({ migrate: false });
    databases.push(database);
    const old = new DataSource({ ...dataSourceOptions(database.url, 2), migrations: BEFORE });
    await old.initialize();
    try {
      await old.runMigrations({ transaction: 'each' });
      let prev = '0'.repeat(64);
      const rows: unknown[][] = [];
      for (let seq = 1; seq <= count; seq++) {
        const event = {
          at: new Date(Date.UTC(2015, 5, 1, 8, 0, seq % 60, seq % 1000)),
          actorId: null,
          actorUsername: seq % 3 === 0 ? 'scheduler' : `user-${seq % 7}`,
          action: 'region.created',
          entityType: 'region',
          entityId: `34160210${seq}`,
          data: { name: `第${seq}村`, seq, nested: { b: 1, a: [seq, '二'] } },
        };
        const hash = sha256(`${prev}\n${seq}\n${canonicalJson(event)}`);
        rows.push([
          seq,
          event.at,
          event.actorUsername,
          event.entityId,
          JSON.stringify(event.data),
          prev,
          hash,
        ]);
        prev = hash;
      }
      await old.query(
        `INSERT INTO audit_event (seq, at, actor_id, actor_username, action, entity_type, entity_id, data, prev_hash, hash)
         SELECT v.seq, v.at, NULL, v.username, 'region.created', 'region', v.entity, v.data::jsonb, v.prev, v.hash
           FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                AS v(seq, at, username, entity, data, prev, hash)`,
        [0, 1, 2, 3, 4, 5, 6].map((column) => rows.map((row) => row[column])),
      );
    } finally {
      await old.destroy();
    }
    return database.url;
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

  it('re-links 2,500 events (three pages) so that they verify, and the trigger goes on from there', async () => {
    const url = await oldChain(2_500);
    const applied = await runMigrations(url);
    expect(applied).toContain('AuditChainAtCommit1795506000000');
    await withAuditLog(url, async (auditLog, dataSource) => {
      expect(await auditLog.verify()).toMatchObject({ ok: true, events: 2_500 });
      await dataSource.transaction((manager) =>
        auditLog.record(manager, {
          chain: 'admin',
          actor: null,
          action: 'after.migration',
          entityType: 'test',
          entityId: 't',
          data: { ok: true },
        }),
      );
      expect(await auditLog.verify()).toMatchObject({ ok: true, events: 2_501 });
      const [last] = await dataSource.query<{ seq: string; action: string }[]>(
        'SELECT seq, action FROM audit_event ORDER BY seq DESC LIMIT 1',
      );
      expect(last).toEqual({ seq: '2501', action: 'after.migration' });
    });
  });

  it('refuses to re-link a chain that does not verify, and changes nothing', async () => {
    const url = await oldChain(30);
    const tamper = new DataSource(dataSourceOptions(url, 1, APP_ENTITIES));
    await tamper.initialize();
    await tamper.transaction(async (manager) => {
      await manager.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change');
      await manager.query(`UPDATE audit_event SET data = '{"forged": true}' WHERE seq = 17`);
      await manager.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change');
    });
    await expect(runMigrations(url)).rejects.toThrow(/broken at seq 17/);
    const [{ columns }] = await tamper.query<{ columns: string[] }[]>(
      `SELECT array_agg(column_name::text ORDER BY column_name) AS columns
         FROM information_schema.columns WHERE table_name = 'audit_event'`,
    );
    expect(columns).not.toContain('body_sha256');
    await tamper.destroy();
  });

  it('goes back down to the old formula, verified under the new one first', async () => {
    const url = await oldChain(40);
    await runMigrations(url);
    const dataSource = new DataSource(dataSourceOptions(url, 1, APP_ENTITIES));
    await dataSource.initialize();
    try {
      // Undo the later migrations too, down to and including AuditChainAtCommit.
      const applied = async () =>
        (await dataSource.query<{ name: string }[]>('SELECT name FROM schema_migration')).map(
          (row) => row.name,
        );
      while ((await applied()).includes('AuditChainAtCommit1795506000000')) {
        await dataSource.undoLastMigration({ transaction: 'each' });
      }
      const rows = await dataSource.query<
        {
          seq: string;
          at: Date;
          actor_username: string;
          entity_id: string;
          data: unknown;
          prev_hash: string;
          hash: string;
        }[]
      >('SELECT * FROM audit_event ORDER BY seq');
      expect(rows).toHaveLength(40);
      let prev = '0'.repeat(64);
      for (const row of rows) {
        const body = canonicalJson({
          at: row.at,
          actorId: null,
          actorUsername: row.actor_username,
          action: 'region.created',
          entityType: 'region',
          entityId: row.entity_id,
          data: row.data,
        });
        expect(row.prev_hash).toBe(prev);
        expect(row.hash).toBe(sha256(`${prev}\n${row.seq}\n${body}`));
        prev = row.hash;
      }
    } finally {
      await dataSource.destroy();
    }
  });
});
