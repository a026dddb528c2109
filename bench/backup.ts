/**
 * Backup and restore (docs/benchmarks.md, "Backup and restore").
 *
 *   npm run bench:backup                      (the demo)
 *   BENCH_PROVINCE=1 npm run bench:backup     (the province of bench/province*, loaded if missing)
 *
 * The demo: its own PostgreSQL (embedded, fsync on) in a temporary folder and the real app on
 * 127.0.0.1 with the Qiaocheng demo loaded. BENCH_RUNS (3) backups (`writeBackup`, as
 * `npm run backup` runs it) and restores into a new database and DATA_DIR (`restoreBackup`): time
 * and size. Then the app's latency: BENCH_REQUESTS (300) sequential GET /contracts/:id by the
 * agriculture committee, once without a backup and once while backups run one after the other.
 * The province: one backup and one restore of its database (no app, no files).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startApp } from './support/app';
import { runOnProvince } from './support/province';
import { runBench } from './support/run';
import { fmt, int, log, machineLine, median, percentile, printTable } from './support/stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);

async function timedBackupRestore(
  url: string,
  dataDir: string,
  newDatabase: () => Promise<string>,
  runs: number,
): Promise<string[][]> {
  const { writeBackup } = await import('../src/database/backup/backup.js');
  const { restoreBackup } = await import('../src/database/backup/restore.js');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-bench-backup-'));
  const backups: number[] = [];
  const restores: number[] = [];
  let size = 0;
  let rows = 0;
  try {
    for (let run = 0; run < runs; run += 1) {
      const file = path.join(work, `run-${run}.backup`);
      let mark = performance.now();
      const manifest = await writeBackup({ url, dataDir, file });
      backups.push((performance.now() - mark) / 1000);
      size = fs.statSync(file).size;
      rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
      const target = await newDatabase();
      mark = performance.now();
      await restoreBackup({
        file,
        dataDir: path.join(work, `restored-${run}`),
        database: () => Promise.resolve({ url: target, stop: () => Promise.resolve() }),
      });
      restores.push((performance.now() - mark) / 1000);
      fs.rmSync(file);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  log(`${int(rows)} rows, backup ${fmt(size / 1e6, 2)} MB`);
  return [
    ['', 'median', 'runs'],
    ['backup (s)', fmt(median(backups), 2), backups.map((s) => fmt(s, 2)).join(' / ')],
    ['restore (s)', fmt(median(restores), 2), restores.map((s) => fmt(s, 2)).join(' / ')],
    ['size (MB)', fmt(size / 1e6, 2), ''],
  ];
}

async function demo(): Promise<void> {
  await runBench({ name: 'backup' }, async ({ pg, databaseUrl, cleanup }) => {
    const app = await startApp(databaseUrl, { seedDemo: true });
    cleanup(() => app.close());
    const agri = await app.api.login('agri', 'Demo-2014');
    const contracts = (await app.endpoint.call('contracts', 200, 'GET', '/contracts', {
      session: agri,
    })) as { items: { id: string; state: string }[] };
    const paid = contracts.items.find((contract) => contract.state === 'paid');
    if (!paid) throw new Error('no paid contract in the demo');
    // Documents issued first, so that the backup carries their files too.
    await app.endpoint.call('archive', 200, 'GET', `/contracts/${paid.id}/archive`, {
      session: agri,
    });
    printTable(
      await timedBackupRestore(
        databaseUrl,
        app.test.config.dataDir,
        () => pg.createDatabase({ migrate: false }),
        RUNS,
      ),
    );

    const latencies = async (): Promise<number[]> => {
      const times: number[] = [];
      for (let n = 0; n < REQUESTS; n += 1) {
        const reply = await app.endpoint.send('GET', `/contracts/${paid.id}`, { session: agri });
        if (reply.status !== 200) throw new Error(`GET /contracts/:id: ${reply.status}`);
        times.push(reply.ms);
      }
      return times.sort((a, b) => a - b);
    };
    const { writeBackup } = await import('../src/database/backup/backup.js');
    const idle = await latencies();
    let backingUp = true;
    let backups = 0;
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-bench-backup-load-'));
    const loop = (async () => {
      while (backingUp) {
        const file = path.join(work, `${backups}.backup`);
        await writeBackup({ url: databaseUrl, dataDir: app.test.config.dataDir, file });
        fs.rmSync(file);
        backups += 1;
      }
    })();
    let during: number[];
    try {
      during = await latencies();
    } finally {
      backingUp = false;
      await loop;
      fs.rmSync(work, { recursive: true, force: true });
    }
    log(`${backups} backups ran during the second series`);
    printTable([
      ['GET /contracts/:id (ms)', 'p50', 'p95', 'p99', 'max'],
      ...[
        ['without a backup', idle],
        ['during backups', during],
      ].map(([label, times]) => [
        label as string,
        ...[0.5, 0.95, 0.99, 1].map((q) => fmt(percentile(times as number[], q), 1)),
      ]),
    ]);
    console.log(machineLine('demo, fsync on'));
    return true;
  });
}

async function province(): Promise<void> {
  await runOnProvince(async (loaded, cleanup) => {
    const { Client } = await import('pg');
    const names: string[] = [];
    cleanup(async () => {
      const admin = new Client({ connectionString: loaded.postgres.url() });
      await admin.connect();
      for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    });
    const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-bench-province-data-'));
    cleanup(() => fs.rmSync(emptyDir, { recursive: true, force: true }));
    printTable(
      await timedBackupRestore(
        loaded.url,
        emptyDir,
        async () => {
          const name = `restored_${names.length}`;
          names.push(name);
          const admin = new Client({ connectionString: loaded.postgres.url() });
          await admin.connect();
          await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await admin.query(`CREATE DATABASE ${name}`);
          await admin.end();
          return loaded.postgres.url(name);
        },
        1,
      ),
    );
    return true;
  });
}

void (process.env.BENCH_PROVINCE === '1' ? province() : demo());
