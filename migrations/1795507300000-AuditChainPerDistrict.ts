import { createHash } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { canonicalJson } from '../src/common/values/canonical-json';

const GENESIS_HASH = '0'.repeat(64);
const PAGE = 1000;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const link = (prev: string, seq: number, body: string): string =>
  sha256(`${prev}\n${seq}\n${body}`);

interface StoredEvent {
  id: string;
  chain: string;
  seq: string | null;
  at: Date;
  actor_id: string | null;
  actor_username: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  data: Record<string, unknown>;
  body_sha256: string;
  prev_hash: string;
  hash: string;
}

const COLUMNS = `id, chain, seq, at, actor_id, actor_username, action, entity_type, entity_id, data, body_sha256, prev_hash, hash`;

/** The link trigger: numbers a row after the last one of its chain, under a lock of `lock`. */
const linkFunction = (lock: string, where: string) =>
  `CREATE OR REPLACE FUNCTION audit_event_link() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE
     last_seq bigint;
     last_hash text;
   BEGIN
     PERFORM ${lock};
     SELECT seq, hash INTO last_seq, last_hash
       FROM audit_event WHERE ${where} ORDER BY seq DESC LIMIT 1;
     last_seq := coalesce(last_seq, 0) + 1;
     last_hash := coalesce(last_hash, repeat('0', 64));
     UPDATE audit_event
        SET seq = last_seq,
            prev_hash = last_hash,
            hash = encode(sha256(convert_to(
                     last_hash || E'\\n' || last_seq::text || E'\\n' || NEW.body_sha256, 'UTF8')), 'hex')
      WHERE id = NEW.id;
     RETURN NULL;
   END $$`;

/** Rows stay append-only; the one update allowed is the link of an unlinked row. */
const appendOnlyFunction = (columns: string) =>
  `CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
        AND (${columns.replace(/(\w+)/g, 'NEW.$1')}) IS NOT DISTINCT FROM (${columns.replace(/(\w+)/g, 'OLD.$1')}) THEN
       RETURN NEW;
     END IF;
     RAISE EXCEPTION 'audit_event is append-only';
   END $$`;
const CONTENT =
  'id, at, actor_id, actor_username, action, entity_type, entity_id, data, body_sha256';

/**
 * One audit chain per district, and one `admin` chain for regions, organisations, users and
 * anything else without a district.
 *
 * Before: every commit of every district took the same advisory lock in the link trigger and
 * held it through its WAL flush, so commits could not be flushed together and one district's
 * burst delayed every other's. Now each row names its chain (`chain`: the district's code, set
 * by the app), seq/prev_hash/hash count and link within it (unique (chain, seq)), and the trigger
 * locks only its chain (`pg_advisory_xact_lock(7340001, hashtext(chain))`).
 *
 * The existing chain is verified first, as GET /audit-log/verify does (a broken one stops the
 * migration: it is not silently "repaired"), each row is given its object's chain (a contract,
 * project, tender, bid or payment batch: its district; anything else: admin), and each chain is re-linked from
 * seq 1 in the old order. Issued documents get the head of their chain (`audit_*`), printed in
 * their footer. `down` verifies every chain and re-links all rows into one, in insertion order.
 */
export class AuditChainPerDistrict1795507300000 implements MigrationInterface {
  name = 'AuditChainPerDistrict1795507300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_event" DISABLE TRIGGER audit_event_no_change`);
    await queryRunner.query(`ALTER TABLE "audit_event" ADD "chain" text`);
    await queryRunner.query(
      `UPDATE "audit_event" e SET "chain" = coalesce(
         CASE e."entity_type"
           WHEN 'contract' THEN (SELECT c."district_code" FROM "contract" c WHERE c."id"::text = e."entity_id")
           WHEN 'project' THEN (SELECT p."district_code" FROM "project" p WHERE p."id"::text = e."entity_id")
           WHEN 'tender' THEN (SELECT t."district_code" FROM "tender" t WHERE t."id"::text = e."entity_id")
           WHEN 'bid' THEN (SELECT t."district_code" FROM "bid" b JOIN "tender" t ON t."id" = b."tender_id"
                             WHERE b."id"::text = e."entity_id")
         END, 'admin')`,
    );
    // Objects of tables that not every installation has yet (payment batches, issue 14).
    for (const table of ['payment_batch']) {
      const [{ present }] = (await queryRunner.query(
        `SELECT to_regclass($1) IS NOT NULL AS present`,
        [`public.${table}`],
      )) as { present: boolean }[];
      if (!present) continue;
      await queryRunner.query(
        `UPDATE "audit_event" e SET "chain" = o."district_code"
           FROM "${table}" o WHERE e."entity_type" = $1 AND o."id"::text = e."entity_id"`,
        [table],
      );
    }
    await queryRunner.query(`ALTER TABLE "audit_event" ALTER COLUMN "chain" SET NOT NULL`);
    // Paged by the old seq while rows take their new one (never above the old): a plain index.
    await queryRunner.query(`DROP INDEX "public"."audit_event_seq_idx"`);
    await queryRunner.query(`CREATE INDEX "audit_event_relink_idx" ON "audit_event" ("seq")`);
    await splitChain(queryRunner);
    await queryRunner.query(`DROP INDEX "public"."audit_event_relink_idx"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "audit_event_chain_seq_idx" ON "audit_event" ("chain", "seq") WHERE seq IS NOT NULL`,
    );
    await queryRunner.query(appendOnlyFunction(`${CONTENT}, chain`));
    await queryRunner.query(
      linkFunction(
        'pg_advisory_xact_lock(7340001, hashtext(NEW.chain))',
        'chain = NEW.chain AND seq IS NOT NULL',
      ),
    );
    await queryRunner.query(`ALTER TABLE "audit_event" ENABLE TRIGGER audit_event_no_change`);
    await queryRunner.query(
      `ALTER TABLE "issued_document" ADD "audit_chain" text, ADD "audit_seq" bigint, ADD "audit_hash" character(64)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "issued_document" DROP COLUMN "audit_chain", DROP COLUMN "audit_seq", DROP COLUMN "audit_hash"`,
    );
    await verifyEveryChain(queryRunner);
    await queryRunner.query(linkFunction('pg_advisory_xact_lock(7340001)', 'seq IS NOT NULL'));
    await queryRunner.query(`ALTER TABLE "audit_event" DISABLE TRIGGER audit_event_no_change`);
    await queryRunner.query(`DROP INDEX "public"."audit_event_chain_seq_idx"`);
    await mergeChains(queryRunner);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "audit_event_seq_idx" ON "audit_event" ("seq") WHERE seq IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "audit_event" DROP COLUMN "chain"`);
    await queryRunner.query(appendOnlyFunction(CONTENT));
    await queryRunner.query(`ALTER TABLE "audit_event" ENABLE TRIGGER audit_event_no_change`);
  }
}

/** Does a stored row fit after `prev` at `seq`: its content digest, its seq and its links? */
function fits(row: StoredEvent, seq: number, prev: string): boolean {
  const body = sha256(
    canonicalJson({
      at: row.at,
      actorId: row.actor_id,
      actorUsername: row.actor_username,
      action: row.action,
      entityType: row.entity_type,
      entityId: row.entity_id,
      data: row.data,
    }),
  );
  return (
    Number(row.seq) === seq &&
    row.body_sha256 === body &&
    row.prev_hash === prev &&
    row.hash === link(prev, seq, body)
  );
}

const broken = (seq: number, chain?: string) =>
  new Error(
    `The audit chain${chain ? ` ${chain}` : ''} is broken at seq ${seq}; it is not re-linked. Find out what happened to it first (GET /audit-log/verify).`,
  );

async function refuseUnlinked(queryRunner: QueryRunner, chain?: string): Promise<void> {
  const [row] = (await queryRunner.query(
    `SELECT (SELECT coalesce(max(seq), 0) FROM audit_event WHERE $1::text IS NULL OR chain = $1) + 1 AS next,
            EXISTS (SELECT 1 FROM audit_event WHERE seq IS NULL AND ($1::text IS NULL OR chain = $1)) AS unlinked`,
    [chain ?? null],
  )) as { next: string; unlinked: boolean }[];
  // A committed row without a link was written around the link trigger.
  if (row.unlinked) throw broken(Number(row.next), chain);
}

async function writeLinks(
  queryRunner: QueryRunner,
  links: { id: string; seq: number; prev: string; hash: string }[],
): Promise<void> {
  await queryRunner.query(
    `UPDATE audit_event e SET seq = v.seq, prev_hash = v.prev, hash = v.hash
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS v(id, seq, prev, hash)
      WHERE e.id = v.id`,
    [
      links.map((l) => l.id),
      links.map((l) => l.seq),
      links.map((l) => l.prev),
      links.map((l) => l.hash),
    ],
  );
}

/**
 * Verifies the one chain in seq order and re-links each row into its own chain as it goes. A
 * row's new seq is never above its old one, so rows already re-linked fall below the next page.
 */
async function splitChain(queryRunner: QueryRunner): Promise<void> {
  await refuseUnlinked(queryRunner);
  const heads = new Map<string, { seq: number; hash: string }>();
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (;;) {
    const rows = (await queryRunner.query(
      `SELECT ${COLUMNS} FROM audit_event WHERE seq >= $1 ORDER BY seq LIMIT ${PAGE}`,
      [expectedSeq],
    )) as StoredEvent[];
    if (rows.length === 0) break;
    const links = rows.map((row) => {
      if (!fits(row, expectedSeq, prev)) throw broken(Number(row.seq));
      prev = row.hash;
      expectedSeq += 1;
      const head = heads.get(row.chain) ?? { seq: 0, hash: GENESIS_HASH };
      const next = { seq: head.seq + 1, hash: link(head.hash, head.seq + 1, row.body_sha256) };
      heads.set(row.chain, next);
      return { id: row.id, seq: next.seq, prev: head.hash, hash: next.hash };
    });
    await writeLinks(queryRunner, links);
  }
}

/** Every chain must verify before they are merged back into one. */
async function verifyEveryChain(queryRunner: QueryRunner): Promise<void> {
  const chains = (await queryRunner.query(
    `SELECT DISTINCT chain FROM audit_event ORDER BY chain`,
  )) as { chain: string }[];
  for (const { chain } of chains) {
    await refuseUnlinked(queryRunner, chain);
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    for (;;) {
      const rows = (await queryRunner.query(
        `SELECT ${COLUMNS} FROM audit_event WHERE chain = $1 AND seq >= $2 ORDER BY seq LIMIT ${PAGE}`,
        [chain, expectedSeq],
      )) as StoredEvent[];
      for (const row of rows) {
        if (!fits(row, expectedSeq, prev)) throw broken(Number(row.seq), chain);
        prev = row.hash;
        expectedSeq += 1;
      }
      if (rows.length < PAGE) break;
    }
  }
}

/** One chain again, in insertion order (`id`): commit order across chains was not recorded. */
async function mergeChains(queryRunner: QueryRunner): Promise<void> {
  let prev = GENESIS_HASH;
  let seq = 0;
  let after = '0';
  for (;;) {
    const rows = (await queryRunner.query(
      `SELECT id, body_sha256 FROM audit_event WHERE id > $1 ORDER BY id LIMIT ${PAGE}`,
      [after],
    )) as { id: string; body_sha256: string }[];
    if (rows.length === 0) break;
    const links = rows.map((row) => {
      seq += 1;
      const hash = link(prev, seq, row.body_sha256);
      const result = { id: row.id, seq, prev, hash };
      prev = hash;
      return result;
    });
    after = rows[rows.length - 1].id;
    await writeLinks(queryRunner, links);
  }
}
