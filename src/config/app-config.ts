import { isIP } from 'node:net';
import path from 'node:path';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/** The whole configuration, validated once at start. Nothing else reads `process.env`. */
export interface AppConfig {
  nodeEnv: NodeEnv;
  port: number;
  /** Set: use this PostgreSQL. Unset: start an embedded one under `dataDir/pg`. */
  databaseUrl?: string;
  /** Absolute path. */
  dataDir: string;
  /** Unset outside production: generated once and kept under `dataDir`. */
  jwtSecret?: string;
  jwtTtlSeconds: number;
  admin?: { username: string; password: string };
  seedDemo: boolean;
  testClock: boolean;
  logLevel: LogLevel;
  /** How often the notice scheduler looks for due timers; 0: only at start and on demand. */
  schedulerIntervalMs: number;
  /** Largest upload (register file, attachment), in bytes. */
  uploadMaxBytes: number;
  /** Most data rows one register file may have. */
  registerMaxRows: number;
  /**
   * The proxies whose `X-Forwarded-For` names the client (Express "trust proxy" values: addresses,
   * subnets, `loopback`, …). Empty: the header is ignored and the peer address is the client.
   */
  trustProxy: string[];
  rateLimits: RateLimitConfig;
  /** Where villagers reach the app (no trailing slash): the links and QR codes on printed notices. */
  publicBaseUrl: string;
}

/** Per minute; a flood is refused with 429 and Retry-After, the rest of the users are not. */
export interface RateLimitConfig {
  /** Wrong passwords for one username, from anywhere. */
  loginFailuresPerUsername: number;
  /** Wrong passwords from one client address, for any usernames. */
  loginFailuresPerClient: number;
  /** Public objections from one client address, to any notices. */
  objectionsPerClient: number;
  /** Public objections to one notice, from anywhere. */
  objectionsPerNotice: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  loginFailuresPerUsername: 10,
  loginFailuresPerClient: 50,
  objectionsPerClient: 10,
  objectionsPerNotice: 20,
};

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length > 0 || isIP(address) === 0) return false;
  if (bits === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads and checks every variable; collects all problems so that one start names them all.
 * `cwd` resolves a relative DATA_DIR.
 */
export function loadConfig(env: Env, cwd: string = process.cwd()): AppConfig {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  };

  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
    return fallback;
  };

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  };

  const flag = (name: string): boolean => {
    const raw = value(name)?.toLowerCase();
    if (raw === undefined || raw === '0' || raw === 'false') return false;
    if (raw === '1' || raw === 'true') return true;
    problems.push(`${name} must be 1 or 0 (got "${env[name]}")`);
    return false;
  };

  const nodeEnv = oneOf('NODE_ENV', NODE_ENVS, 'development');
  const port = integer('PORT', 3000, 0, 65535);
  const jwtTtlSeconds = integer('JWT_TTL_SECONDS', 8 * 3600, 60, 30 * 24 * 3600);
  const logLevel = oneOf('LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'warn' : 'info');
  const schedulerIntervalMs = integer('SCHEDULER_INTERVAL_MS', 5000, 0, 3_600_000);
  const uploadMaxBytes = integer('UPLOAD_MAX_BYTES', 30 * 1024 * 1024, 1024, 512 * 1024 * 1024);
  const registerMaxRows = integer('REGISTER_MAX_ROWS', 200_000, 1, 2_000_000);
  const seedDemo = flag('SEED_DEMO');
  const testClock = flag('TEST_CLOCK');

  const trustProxy = (value('TRUST_PROXY') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of trustProxy.filter((candidate) => !isProxyAddress(candidate))) {
    problems.push(
      `TRUST_PROXY must list addresses, subnets (10.0.0.0/8) or loopback/linklocal/uniquelocal (got "${entry}")`,
    );
  }
  const rateLimits: RateLimitConfig = {
    loginFailuresPerUsername: integer(
      'LOGIN_FAILURES_PER_USERNAME',
      DEFAULT_RATE_LIMITS.loginFailuresPerUsername,
      1,
      10_000,
    ),
    loginFailuresPerClient: integer(
      'LOGIN_FAILURES_PER_CLIENT',
      DEFAULT_RATE_LIMITS.loginFailuresPerClient,
      1,
      10_000,
    ),
    objectionsPerClient: integer(
      'OBJECTIONS_PER_CLIENT',
      DEFAULT_RATE_LIMITS.objectionsPerClient,
      1,
      10_000,
    ),
    objectionsPerNotice: integer(
      'OBJECTIONS_PER_NOTICE',
      DEFAULT_RATE_LIMITS.objectionsPerNotice,
      1,
      10_000,
    ),
  };
  const publicBaseUrl = (value('PUBLIC_BASE_URL') ?? `http://localhost:${port}`).replace(
    /\/+$/,
    '',
  );
  if (!isHttpUrl(publicBaseUrl)) {
    problems.push(`PUBLIC_BASE_URL must be an http:// or https:// URL (got "${publicBaseUrl}")`);
  }

  const databaseUrl = value('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/.+/.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }

  const dataDir = path.resolve(cwd, value('DATA_DIR') ?? '.data');

  const jwtSecret = value('JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    problems.push('JWT_SECRET must be at least 32 characters long');
  }

  const adminUsername = value('ADMIN_USERNAME');
  const adminPassword = env.ADMIN_PASSWORD;
  let admin: AppConfig['admin'];
  if (adminUsername !== undefined || adminPassword !== undefined) {
    if (adminUsername === undefined) {
      problems.push('ADMIN_USERNAME must be set together with ADMIN_PASSWORD');
    } else if (!/^[A-Za-z0-9_.-]{3,64}$/.test(adminUsername)) {
      problems.push('ADMIN_USERNAME must be 3-64 letters, digits, ".", "_" or "-"');
    } else if (adminPassword === undefined || adminPassword.length < 8) {
      problems.push('ADMIN_PASSWORD must be set with ADMIN_USERNAME and be at least 8 characters');
    } else {
      admin = { username: adminUsername, password: adminPassword };
    }
  }

  if (nodeEnv === 'production') {
    if (jwtSecret === undefined) problems.push('JWT_SECRET is required when NODE_ENV=production');
    if (testClock) problems.push('TEST_CLOCK is refused when NODE_ENV=production');
    if (seedDemo) {
      problems.push(
        'SEED_DEMO is refused when NODE_ENV=production (its users have known passwords)',
      );
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    nodeEnv,
    port,
    databaseUrl,
    dataDir,
    jwtSecret,
    jwtTtlSeconds,
    admin,
    seedDemo,
    testClock,
    logLevel,
    schedulerIntervalMs,
    uploadMaxBytes,
    registerMaxRows,
    trustProxy,
    rateLimits,
    publicBaseUrl,
  };
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
