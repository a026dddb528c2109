import { createHash } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { canonicalJson } from '../src/common/values/canonical-json';

const GENESIS_HASH = '0'.repeat(64);
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

interface StoredEvent {
  id: string;
  seq: string;
  at: Date;
  actor_id: string | null;
  actor_username: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/**
 * The audit chain is linked when a transaction commits, not when it appends.
 *
 * Before: every append took a global advisory lock that it held until COMMIT, so every command of
 * every contract queued behind the slowest transaction in flight (79 % of connections waited on
 * it under load, docs/benchmarks.md). Now a command inserts its audit row unlinked (no lock), with
 * the SHA-256 of its canonical content (`body_sha256`); a deferred constraint trigger links it at
 * COMMIT: it takes the lock, numbers the row after the last linked one and hashes
 * `prev_hash \n seq \n body_sha256`. The lock is held from that trigger to the end of COMMIT, inside
 * PostgreSQL, with no round trip to the app. A rolled-back transaction leaves no row and no gap.
 *
 * The link formula changes (the body's hash instead of its text), so the existing chain is
 * verified under the old formula and re-linked under the new one. A chain that does not verify
 * stops the migration: a broken chain is not silently "repaired".
 */
export class AuditChainAtCommit1795506000000 implements MigrationInterface {
  name = 'AuditChainAtCommit1795506000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_event" DISABLE TRIGGER audit_event_no_change`);
    await queryRunner.query(`ALTER TABLE "audit_event" DROP CONSTRAINT "audit_event_pkey"`);
    await queryRunner.query(
      `ALTER TABLE "audit_event" ADD "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")`,
    );
    await queryRunner.query(`ALTER TABLE "audit_event" ADD "body_sha256" character(64)`);
    await queryRunner.query(
      `ALTER TABLE "audit_event" ALTER COLUMN "seq" DROP NOT NULL, ALTER COLUMN "prev_hash" DROP NOT NULL, ALTER COLUMN "hash" DROP NOT NULL`,
    );
    await relinkExistingChain(queryRunner);
    await queryRunner.query(`ALTER TABLE "audit_event" ALTER COLUMN "body_sha256" SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_link_check" CHECK ((seq IS NULL AND prev_hash IS NULL AND hash IS NULL) OR (seq IS NOT NULL AND prev_hash IS NOT NULL AND hash IS NOT NULL))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "audit_event_seq_idx" ON "audit_event" ("seq") WHERE seq IS NOT NULL`,
    );
    // Rows stay append-only; the one update allowed is the link of an unlinked row.
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
            AND (NEW.id, NEW.at, NEW.actor_id, NEW.actor_username, NEW.action, NEW.entity_type,
                 NEW.entity_id, NEW.data, NEW.body_sha256)
                IS NOT DISTINCT FROM
                (OLD.id, OLD.at, OLD.actor_id, OLD.actor_username, OLD.action, OLD.entity_type,
                 OLD.entity_id, OLD.data, OLD.body_sha256) THEN
           RETURN NEW;
         END IF;
         RAISE EXCEPTION 'audit_event is append-only';
       END $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION audit_event_link() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         last_seq bigint;
         last_hash text;
       BEGIN
         PERFORM pg_advisory_xact_lock(7340001);
         SELECT seq, hash INTO last_seq, last_hash
           FROM audit_event WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
         last_seq := coalesce(last_seq, 0) + 1;
         last_hash := coalesce(last_hash, repeat('0', 64));
         UPDATE audit_event
            SET seq = last_seq,
                prev_hash = last_hash,
                hash = encode(sha256(convert_to(
                         last_hash || E'\\n' || last_seq::text || E'\\n' || NEW.body_sha256, 'UTF8')), 'hex')
          WHERE id = NEW.id;
         RETURN NULL;
       END $$`,
    );
    await queryRunner.query(
      `CREATE CONSTRAINT TRIGGER audit_event_link AFTER INSERT ON "audit_event" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_event_link()`,
    );
    await queryRunner.query(`ALTER TABLE "audit_event" ENABLE TRIGGER audit_event_no_change`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_event_link ON "audit_event"`);
    await queryRunner.query(`DROP FUNCTION audit_event_link()`);
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$`,
    );
    await queryRunner.query(`DROP INDEX "public"."audit_event_seq_idx"`);
    await queryRunner.query(`ALTER TABLE "audit_event" DROP CONSTRAINT "audit_event_link_check"`);
    // Back to the old link formula (the body's canonical text), verified under the new one first.
    await queryRunner.query(`ALTER TABLE "audit_event" DISABLE TRIGGER audit_event_no_change`);
    await relinkExistingChain(queryRunner, 'down');
    await queryRunner.query(`ALTER TABLE "audit_event" ENABLE TRIGGER audit_event_no_change`);
    await queryRunner.query(
      `ALTER TABLE "audit_event" ALTER COLUMN "seq" SET NOT NULL, ALTER COLUMN "prev_hash" SET NOT NULL, ALTER COLUMN "hash" SET NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "audit_event" DROP COLUMN "body_sha256"`);
    await queryRunner.query(`ALTER TABLE "audit_event" DROP CONSTRAINT "audit_event_pkey"`);
    await queryRunner.query(`ALTER TABLE "audit_event" DROP COLUMN "id"`);
    await queryRunner.query(
      `ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_pkey" PRIMARY KEY ("seq")`,
    );
  }
}

/** Verifies the stored chain under one formula and writes the links of the other, in seq order. */
async function relinkExistingChain(
  queryRunner: QueryRunner,
  direction: 'up' | 'down' = 'up',
): Promise<void> {
  let prevHash = GENESIS_HASH;
  let newPrev = GENESIS_HASH;
  let expectedSeq = 1;
  for (;;) {
    const rows = (await queryRunner.query(
      `SELECT id, seq, at, actor_id, actor_username, action, entity_type, entity_id, data, prev_hash, hash
         FROM audit_event WHERE seq >= $1 ORDER BY seq LIMIT 1000`,
      [expectedSeq],
    )) as StoredEvent[];
    if (rows.length === 0) break;
    const ids: string[] = [];
    const bodies: string[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    for (const row of rows) {
      const seq = Number(row.seq);
      const body = canonicalJson({
        at: row.at,
        actorId: row.actor_id,
        actorUsername: row.actor_username,
        action: row.action,
        entityType: row.entity_type,
        entityId: row.entity_id,
        data: row.data,
      });
      const bodySha = sha256(body);
      const textLink = (prev: string) => sha256(`${prev}\n${seq}\n${body}`);
      const digestLink = (prev: string) => sha256(`${prev}\n${seq}\n${bodySha}`);
      const [stored, written] =
        direction === 'up' ? [textLink, digestLink] : [digestLink, textLink];
      if (seq !== expectedSeq || row.prev_hash !== prevHash || row.hash !== stored(prevHash)) {
        throw new Error(
          `The audit chain is broken at seq ${seq} (expected ${expectedSeq}); it is not re-linked. Find out what happened to it first (GET /audit-log/verify).`,
        );
      }
      prevHash = row.hash;
      ids.push(row.id);
      bodies.push(bodySha);
      prevs.push(newPrev);
      newPrev = written(newPrev);
      hashes.push(newPrev);
      expectedSeq += 1;
    }
    await queryRunner.query(
      direction === 'up'
        ? `UPDATE audit_event e SET body_sha256 = v.body, prev_hash = v.prev, hash = v.hash
             FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS v(id, body, prev, hash)
            WHERE e.id = v.id`
        : `UPDATE audit_event e SET prev_hash = v.prev, hash = v.hash
             FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS v(id, body, prev, hash)
            WHERE e.id = v.id`,
      [ids, bodies, prevs, hashes],
    );
  }
}
