/**
 * Loads the province (bench/support/province.ts) when it is missing or stale, checks it and
 * prints what it holds (docs/benchmarks.md, "Province scale").
 *
 *   npm run bench:province:load
 */
import { Client } from 'pg';
import { log } from './measure';
import { openProvince } from './support/province';

/** Invariants of the loaded rows, each a query that must return 0. */
const CHECKS: [string, string][] = [
  [
    'village parts whose claimed area is not the sum of their register rows',
    `SELECT count(*) FROM contract_village_part p
      WHERE p.claimed_area <> (SELECT coalesce(sum(r.area), 0) FROM register_row r
                                WHERE r.contract_id = p.contract_id AND r.task_code = p.task_code
                                  AND r.village_code = p.village_code AND r.state <> 'withdrawn')`,
  ],
  [
    'task lines whose amount is not round_half_up(audited area × price)',
    `SELECT count(*) FROM contract_task_line
      WHERE audited_area IS NOT NULL AND amount_fen <> (audited_area::bigint * unit_price_fen + 50) / 100`,
  ],
  [
    'contracts whose subsidy is not the sum of their task lines',
    `SELECT count(*) FROM contract c WHERE c.subsidy_fen IS NOT NULL
        AND c.subsidy_fen <> (SELECT sum(amount_fen) FROM contract_task_line WHERE contract_id = c.id)`,
  ],
  [
    'contracts whose state is not their snapshot',
    `SELECT count(*) FROM contract WHERE state <> snapshot->>'value'`,
  ],
  [
    'paid contracts without a confirmed payout of their subsidy',
    `SELECT count(*) FROM contract c WHERE c.state = 'paid' AND NOT EXISTS
       (SELECT 1 FROM payout p WHERE p.contract_id = c.id AND p.state = 'confirmed' AND p.amount_fen = c.subsidy_fen)`,
  ],
  ['audit rows not linked into their chain', `SELECT count(*) FROM audit_event WHERE seq IS NULL`],
  [
    'running notices that end within a day',
    `SELECT count(*) FROM notice WHERE state = 'running' AND ends_at < now() + interval '1 day'`,
  ],
];

async function main(): Promise<void> {
  const province = await openProvince(log);
  try {
    const { stamp } = province;
    console.log(
      `province: ${stamp.settings.districts} districts, loaded ${stamp.loadedAt} in ${stamp.loadSeconds.toFixed(1)} s, ${(stamp.bytes / 2 ** 20).toFixed(0)} MB (${province.home})`,
    );
    for (const [table, count] of Object.entries(stamp.counts))
      console.log(`  ${table.padEnd(24)} ${String(count).padStart(9)}`);
    const client = new Client({ connectionString: province.url });
    await client.connect();
    try {
      const states = await client.query<{ state: string; n: string }>(
        `SELECT state, count(*) AS n FROM contract GROUP BY state ORDER BY state`,
      );
      console.log(`contracts by state: ${states.rows.map((r) => `${r.state} ${r.n}`).join(', ')}`);
      let failed = false;
      for (const [what, sql] of CHECKS) {
        const [{ count }] = (await client.query<{ count: string }>(sql)).rows;
        console.log(`check: ${what}: ${count}`);
        if (Number(count) !== 0) failed = true;
      }
      if (failed) process.exitCode = 1;
    } finally {
      await client.end();
    }
  } finally {
    await province.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
