/**
 * The province (bench only): 100 districts, their towns and villages, 4,000 contracts in every
 * state and ~1M register rows, in an embedded PostgreSQL (fsync on) kept under .tmp/province so
 * that every benchmark reuses it without reloading.
 *
 *   npm run bench:province:load      (loads when missing or stale, then prints what it holds)
 *
 * The folder is an app DATA_DIR: its cluster is .tmp/province/pg and the database is the one the
 * app uses (`agri_subsidy`), so `DATA_DIR=.tmp/province npm start` starts the app on it. The
 * schema is the real one (the migrations run first); the rows are loaded with COPY in one
 * transaction (see province-data.ts for what they are), the audit rows linked into their district
 * chains by the migrated trigger at COMMIT, then VACUUM ANALYZE.
 *
 * `province.json` next to the cluster records what was loaded: the generator version, the
 * settings, the migrations, the season's day 0 and the counts. It is reloaded when any of them
 * differs from what the code would load, or when the season's running notices would end within
 * a day (they run 7 days from the load's day −2, so a load is good for 4 days).
 *
 * A benchmark that only reads uses the database as it is. One that writes takes a copy
 * (`copyProvince`, CREATE DATABASE … TEMPLATE), so the province stays as loaded.
 *
 * Settings (environment): PROVINCE_DISTRICTS (100), PROVINCE_CONTRACTS (40 per district),
 * PROVINCE_ROWS (1,000,000), PROVINCE_PILOT_SHARE (0.5: district 1's project holds half of the
 * rows, as the quality spec's "project summary over 1M register rows" needs one large project;
 * the 99 others share the rest), PROVINCE_HOME (.tmp/province).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { hashPassword } from '../../src/modules/auth/password-hasher';
import type { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import {
  districtRows,
  regionsAndPeople,
  type ProvinceSettings,
  type Row,
  type Tables,
} from './province-data';

/** Bump when the generator's rows change: a stored province of another version is reloaded. */
const GENERATOR_VERSION = 2;
export const PROVINCE_DATABASE = 'agri_subsidy';
/** The password of every generated user (agri-<district>, finance-…, approver-…, observer-…). */
export const PROVINCE_PASSWORD = 'province-bench-password';

/** Parents before children, so that every foreign key finds its row. */
const TABLE_ORDER = [
  'region',
  'organisation',
  'app_user',
  'project',
  'project_village',
  'project_task',
  'tender',
  'tender_invitation',
  'lot',
  'lot_task',
  'bid',
  'contract',
  'award',
  'contract_village',
  'contract_task_line',
  'contract_village_part',
  'contract_history',
  'notice',
  'timer',
  'payout',
  'register_row',
  'audit_event',
];
const FLUSH_ROWS = 100_000;
const DAY_MS = 86_400_000;

export interface ProvinceStamp {
  version: number;
  settings: Omit<ProvinceSettings, 't0'>;
  migrations: string[];
  t0: string;
  loadedAt: string;
  loadSeconds: number;
  counts: Record<string, number>;
  bytes: number;
}

export interface Province {
  postgres: EmbeddedPostgres;
  home: string;
  /** The province's database. */
  url: string;
  stamp: ProvinceStamp;
  /** Whether this call loaded it (false: reused). */
  loaded: boolean;
  stop(): Promise<void>;
}

export function provinceSettings(): Omit<ProvinceSettings, 't0'> {
  return {
    districts: Number(process.env.PROVINCE_DISTRICTS ?? 100),
    townsPerDistrict: 5,
    villagesPerTown: 8,
    contractsPerDistrict: Number(process.env.PROVINCE_CONTRACTS ?? 40),
    registerRows: Number(process.env.PROVINCE_ROWS ?? 1_000_000),
    pilotShare: Number(process.env.PROVINCE_PILOT_SHARE ?? 0.5),
  };
}

export function provinceHome(): string {
  return path.resolve(process.env.PROVINCE_HOME ?? path.join('.tmp', 'province'));
}

const migrationNames = (): string[] =>
  fs
    .readdirSync(path.resolve(__dirname, '..', '..', 'migrations'))
    .filter((file) => /^\d+-\w+\.js$/.test(file))
    .map((file) => file.replace(/\.js$/, ''))
    .sort();

/** Starts the province's PostgreSQL, loading the province first when missing or stale. */
export async function openProvince(
  log: (message: string) => void,
  settings: Record<string, string> = {},
): Promise<Province> {
  const { EmbeddedPostgres } = await import('../../src/database/embedded-postgres.js');
  const home = provinceHome();
  fs.mkdirSync(home, { recursive: true });
  fs.chmodSync(home, 0o755);
  const postgres = await EmbeddedPostgres.start({ dataDir: path.join(home, 'pg'), log, settings });
  try {
    const stampFile = path.join(home, 'province.json');
    const wanted = provinceSettings();
    const migrations = migrationNames();
    const stored = fs.existsSync(stampFile)
      ? (JSON.parse(fs.readFileSync(stampFile, 'utf8')) as ProvinceStamp)
      : undefined;
    const why = staleness(stored, wanted, migrations);
    const url = postgres.url(PROVINCE_DATABASE);
    if (why === undefined && (await databaseExists(postgres))) {
      log(`province: reusing the one loaded ${stored!.loadedAt} (${home})`);
      return { postgres, home, url, stamp: stored!, loaded: false, stop: () => postgres.stop() };
    }
    log(`province: loading (${why ?? 'no database'})`);
    fs.rmSync(stampFile, { force: true });
    const stamp = await loadProvince(postgres, wanted, migrations, log);
    fs.writeFileSync(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
    return { postgres, home, url, stamp, loaded: true, stop: () => postgres.stop() };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}

function staleness(
  stored: ProvinceStamp | undefined,
  settings: Omit<ProvinceSettings, 't0'>,
  migrations: string[],
): string | undefined {
  if (!stored) return 'nothing loaded yet';
  if (stored.version !== GENERATOR_VERSION) return `generator version ${stored.version}`;
  if (JSON.stringify(stored.settings) !== JSON.stringify(settings)) return 'other settings';
  if (JSON.stringify(stored.migrations) !== JSON.stringify(migrations)) return 'new migrations';
  if (Date.now() > Date.parse(stored.loadedAt) + 4 * DAY_MS) return 'its running notices end';
  return undefined;
}

async function databaseExists(postgres: EmbeddedPostgres): Promise<boolean> {
  const client = new Client({ connectionString: postgres.url() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      PROVINCE_DATABASE,
    ]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

async function loadProvince(
  postgres: EmbeddedPostgres,
  settings: Omit<ProvinceSettings, 't0'>,
  migrations: string[],
  log: (message: string) => void,
): Promise<ProvinceStamp> {
  const { runMigrations } = await import('../../src/database/migrate.js');
  const started = Date.now();
  const admin = new Client({ connectionString: postgres.url() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${PROVINCE_DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${PROVINCE_DATABASE}`);
  await admin.end();
  const url = postgres.url(PROVINCE_DATABASE);
  await runMigrations(url);

  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const full: ProvinceSettings = { ...settings, t0: today - 30 * DAY_MS + 2 * 3_600_000 };
  const client = new Client({ connectionString: url });
  await client.connect();
  const counts: Record<string, number> = {};
  try {
    await client.query('BEGIN');
    const people = regionsAndPeople(full, await hashPassword(PROVINCE_PASSWORD));
    await flush(client, people, counts);
    const tables: Tables = new Map();
    for (let d = 1; d <= full.districts; d++) {
      for (const _ of districtRows(full, d, tables)) {
        if (buffered(tables) >= FLUSH_ROWS) await flush(client, tables, counts);
      }
      if (d % 10 === 0) {
        await flush(client, tables, counts);
        log(
          `province: ${d} districts, ${counts.register_row ?? 0} register rows (${((Date.now() - started) / 1000).toFixed(0)} s)`,
        );
      }
    }
    await flush(client, tables, counts);
    log('province: COMMIT (the audit rows are linked into their chains now)');
    await client.query('COMMIT');
    await client.query('VACUUM ANALYZE');
    const [{ bytes }] = (
      await client.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes')
    ).rows;
    const loadSeconds = (Date.now() - started) / 1000;
    log(
      `province: loaded in ${loadSeconds.toFixed(1)} s, ${(Number(bytes) / 2 ** 20).toFixed(0)} MB`,
    );
    return {
      version: GENERATOR_VERSION,
      settings,
      migrations,
      t0: new Date(full.t0).toISOString(),
      loadedAt: new Date().toISOString(),
      loadSeconds,
      counts,
      bytes: Number(bytes),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

const buffered = (tables: Tables): number =>
  [...tables.values()].reduce((sum, entry) => sum + entry.rows.length, 0);

/** COPYs every buffered row, table by table in foreign-key order, and empties the buffers. */
async function flush(client: Client, tables: Tables, counts: Record<string, number>) {
  for (const name of TABLE_ORDER) {
    const entry = tables.get(name);
    if (!entry || entry.rows.length === 0) continue;
    const rows = entry.rows;
    entry.rows = [];
    const sql = `COPY ${name} (${entry.columns.join(', ')}) FROM STDIN`;
    await pipeline(Readable.from(copyText(rows)), client.query(copyFrom(sql)));
    counts[name] = (counts[name] ?? 0) + rows.length;
  }
  const unknown = [...tables.keys()].filter((name) => !TABLE_ORDER.includes(name));
  if (unknown.length) throw new Error(`no COPY order for ${unknown.join(', ')}`);
}

/** COPY's text format, 1,000 rows a chunk. */
function* copyText(rows: Row[]): Generator<string> {
  for (let i = 0; i < rows.length; i += 1000) {
    let chunk = '';
    for (const row of rows.slice(i, i + 1000)) chunk += `${row.map(copyValue).join('\t')}\n`;
    yield chunk;
  }
}

function copyValue(value: Row[number]): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return value.replace(
    /[\\\t\n\r]/g,
    (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!,
  );
}

/** A copy of the province's database for a benchmark that writes; `drop` removes it. */
export async function copyProvince(
  province: Province,
  name: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new Client({ connectionString: province.postgres.url() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${PROVINCE_DATABASE} STRATEGY FILE_COPY`);
  } finally {
    await admin.end();
  }
  return {
    url: province.postgres.url(name),
    drop: async () => {
      const client = new Client({ connectionString: province.postgres.url() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * A province benchmark's main: opens the province (`settings`: extra server settings), runs the
 * body, then what it registered with `cleanup` (last first), stops PostgreSQL and sets the exit
 * code: 1 when the body threw or answered false (a check failed).
 */
export async function runOnProvince(
  body: (province: Province, cleanup: (stop: () => unknown) => void) => Promise<boolean>,
  settings: Record<string, string> = {},
): Promise<void> {
  const { log: print, machineLine } = await import('./stats.js');
  const province = await openProvince(print, settings);
  const cleanups: (() => unknown)[] = [];
  let ok = false;
  try {
    ok = await body(province, (stop) => cleanups.push(stop));
    console.log(
      machineLine(`province ${province.stamp.counts.register_row} register rows, fsync on`),
    );
  } catch (error) {
    console.error(error);
  } finally {
    for (const stop of cleanups.reverse())
      await Promise.resolve()
        .then(stop)
        .catch((error: unknown) => console.error(error));
    await province.stop();
  }
  process.exitCode = ok ? 0 : 1;
}
