/**
 * The notice scheduler: many 7-day notices due at once (docs/benchmarks.md, "Notice scheduler").
 *
 *   npm run bench:scheduler
 *
 * Starts its own PostgreSQL (embedded, fsync on) and the real app on 127.0.0.1 with the test
 * clock. Setup, over HTTP and not timed: contracts of 3 task lines × 3 villages are awarded,
 * signed, given their papers and register, claimed and verified village by village, until
 * BENCH_NOTICES (10000) village notices run, each with its durable timer. Timed: one
 * `POST /__test__/clock {advanceDays: 7}`, which fires every due timer before it answers.
 * Checked: every timer fired exactly once (one `notice.elapsed` audit event per notice, no timer
 * left), every notice cleared, the audit chain verifies.
 *
 * Settings (environment): BENCH_NOTICES (10000), BENCH_SETUP_DRIVERS (8).
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Api } from '../test/support/api';
import type { TestApp } from '../test/support/test-app';
import {
  awardBatch,
  buildWorld,
  type Call,
  Endpoint,
  inParallel,
  type LifecycleContract,
  toVillageNotices,
} from './lifecycle-full';
import { fmt, log, postgresCpuMs } from './measure';

const NOTICES = Number(process.env.BENCH_NOTICES ?? 10_000);
const SETUP_DRIVERS = Number(process.env.BENCH_SETUP_DRIVERS ?? 8);
const NOTICES_PER_CONTRACT = 9;
const CONTRACTS_PER_TENDER = 24;

async function main(): Promise<void> {
  const { EmbeddedPostgres } = await import('../src/database/embedded-postgres.js');
  const { createTestDatabase, startTestApp } = await import('../test/support/test-app.js');
  const began = performance.now();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-bench-scheduler-'));
  fs.chmodSync(home, 0o755); // as root, the postgres OS user must traverse it
  const pgDataDir = path.join(home, 'pg');
  let postgres: Awaited<ReturnType<typeof EmbeddedPostgres.start>> | undefined;
  let test: TestApp | undefined;
  let endpoint: Endpoint | undefined;
  let failed = false;
  try {
    postgres = await EmbeddedPostgres.start({ dataDir: pgDataDir, ephemeral: false, log });
    process.env.TEST_PG_ADMIN_URL = postgres.url();
    const database = await createTestDatabase();
    test = await startTestApp({ databaseUrl: database.url, testClock: true });
    await test.app.listen(0, '127.0.0.1');
    const port = (test.app.getHttpServer().address() as AddressInfo).port;
    endpoint = new Endpoint(port);
    const api = new Api(test);

    // --- setup, not timed
    const setupStarted = performance.now();
    const contractCount = Math.ceil(NOTICES / NOTICES_PER_CONTRACT);
    const world = await buildWorld(api, 3 * CONTRACTS_PER_TENDER);
    const contracts: LifecycleContract[] = [];
    for (let tender = 0; contracts.length < contractCount; tender++) {
      const count = Math.min(CONTRACTS_PER_TENDER, contractCount - contracts.length);
      contracts.push(...(await awardBatch(test, world, `s${tender}`, count)).contracts);
    }
    log(`setup: ${contracts.length} contracts awarded`);
    const send = endpoint;
    const call: Call = async (step, expected, method, requestPath, options) => {
      const reply = await send.send(method, requestPath, options);
      if (reply.status !== expected)
        throw new Error(`${step}: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body;
    };
    let done = 0;
    await inParallel(contracts, SETUP_DRIVERS, async (contract) => {
      await toVillageNotices(contract, world.people, call);
      done += 1;
      if (done % 200 === 0) log(`setup: ${done} of ${contracts.length} contracts verified`);
    });
    const [{ due }] = await test.dataSource.query<{ due: number }[]>(
      'SELECT count(*)::int AS due FROM timer WHERE fired_at IS NULL',
    );
    log(
      `setup: ${contracts.length} contracts, ${due} running notices with their timers, in ${fmt((performance.now() - setupStarted) / 1000)} s`,
    );

    // --- timed: one advance of 7 days fires them all
    const nodeBefore = process.cpuUsage();
    const postgresBefore = postgresCpuMs(pgDataDir);
    const started = performance.now();
    const reply = await endpoint.send('POST', '/__test__/clock', {
      session: world.people.admin,
      json: { advanceDays: 7 },
    });
    const seconds = (performance.now() - started) / 1000;
    const nodeUsage = process.cpuUsage(nodeBefore);
    const nodeMs = (nodeUsage.user + nodeUsage.system) / 1000;
    const postgresMs = postgresCpuMs(pgDataDir) - postgresBefore;
    if (reply.status !== 200)
      throw new Error(`clock: ${reply.status} ${JSON.stringify(reply.body)}`);
    const fired = (reply.body as { fired: number }).fired;

    // --- checks
    const [facts] = await test.dataSource.query<
      { left: number; fired_once: number; events: number; cleared: number; running: number }[]
    >(
      `SELECT (SELECT count(*)::int FROM timer WHERE fired_at IS NULL) AS left,
              (SELECT count(*)::int FROM timer WHERE fired_at IS NOT NULL AND outcome = 'applied') AS fired_once,
              (SELECT count(*)::int FROM audit_event WHERE action = 'notice.elapsed') AS events,
              (SELECT count(*)::int FROM notice WHERE state = 'cleared') AS cleared,
              (SELECT count(*)::int FROM notice WHERE state = 'running') AS running`,
    );
    const chain = await endpoint.send('GET', '/audit-log/verify', { session: world.people.admin });
    const checks = {
      'all fired in the advance': fired === due,
      'no timer left': facts.left === 0,
      'each fired once (one notice.elapsed event per timer)':
        facts.events === due && facts.fired_once === due,
      'every notice cleared': facts.cleared === due && facts.running === 0,
      'audit chain ok': (chain.body as { ok: boolean }).ok === true,
    };
    failed = Object.values(checks).includes(false);

    console.log(`\nNotice scheduler: ${due} notices due at once, one app process`);
    console.log(`fired ${fired} timers in ${fmt(seconds)} s = ${fmt(fired / seconds)} timers/s`);
    console.log(
      `CPU per timer: node ${fmt(nodeMs / fired)} ms, postgres ${fmt(postgresMs / fired)} ms (cores busy ${fmt(nodeMs / 1000 / seconds)} + ${fmt(postgresMs / 1000 / seconds)})`,
    );
    console.log(
      `target: all cleared in < 30 s: ${fmt(seconds)} s -> ${seconds < 30 ? 'met' : 'NOT met'}`,
    );
    for (const [name, ok] of Object.entries(checks))
      console.log(`check: ${name}: ${ok ? 'ok' : 'FAILED'}`);
    console.log(
      `machine: ${os.cpus()[0]?.model ?? '?'}, ${os.cpus().length} cores, load ${os
        .loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')}`,
    );
  } catch (error) {
    failed = true;
    console.error(error);
  } finally {
    endpoint?.agent.destroy();
    await test?.close().catch((error: unknown) => console.error(error));
    await postgres?.stop().catch((error: unknown) => console.error(error));
    fs.rmSync(home, { recursive: true, force: true });
    log(`done in ${fmt((performance.now() - began) / 1000)} s`);
  }
  process.exitCode = failed ? 1 : 0;
}

void main();
