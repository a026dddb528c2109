import path from 'node:path';
import { ConfigError, DEFAULT_RATE_LIMITS, loadConfig } from './app-config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/app');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('has the defaults of api.md', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toEqual({
      nodeEnv: 'development',
      port: 3000,
      databaseUrl: undefined,
      dataDir: path.resolve('/srv/app', '.data'),
      jwtSecret: undefined,
      jwtTtlSeconds: 28800,
      admin: undefined,
      seedDemo: false,
      testClock: false,
      logLevel: 'info',
      schedulerIntervalMs: 5000,
      uploadMaxBytes: 31457280,
      registerMaxRows: 200000,
      trustProxy: [],
      rateLimits: DEFAULT_RATE_LIMITS,
      publicBaseUrl: 'http://localhost:3000',
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        DATABASE_URL: 'postgres://u:p@db:5432/agri',
        DATA_DIR: '/var/lib/agri',
        JWT_SECRET: 'x'.repeat(40),
        ADMIN_USERNAME: 'root_admin',
        ADMIN_PASSWORD: 'correct horse battery',
        SEED_DEMO: '1',
        TEST_CLOCK: 'true',
        LOG_LEVEL: 'debug',
      },
      '/srv/app',
    );
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://u:p@db:5432/agri',
      dataDir: '/var/lib/agri',
      admin: { username: 'root_admin', password: 'correct horse battery' },
      seedDemo: true,
      testClock: true,
      logLevel: 'debug',
    });
  });

  it('names the variable of every bad value, all at once', () => {
    expect(problemsOf({ PORT: 'eighty', SEED_DEMO: 'yes', DATABASE_URL: 'mysql://x' })).toEqual([
      'PORT must be a whole number from 0 to 65535 (got "eighty")',
      'SEED_DEMO must be 1 or 0 (got "yes")',
      'DATABASE_URL must be a postgres:// or postgresql:// URL',
    ]);
    expect(problemsOf({ PORT: '70000' })).toEqual([
      'PORT must be a whole number from 0 to 65535 (got "70000")',
    ]);
    expect(problemsOf({ JWT_SECRET: 'short' })).toEqual([
      'JWT_SECRET must be at least 32 characters long',
    ]);
  });

  it('needs ADMIN_USERNAME and a long enough ADMIN_PASSWORD together', () => {
    expect(problemsOf({ ADMIN_USERNAME: 'boss' })).toEqual([
      'ADMIN_PASSWORD must be set with ADMIN_USERNAME and be at least 8 characters',
    ]);
    expect(problemsOf({ ADMIN_PASSWORD: 'long enough' })).toEqual([
      'ADMIN_USERNAME must be set together with ADMIN_PASSWORD',
    ]);
  });

  it('requires JWT_SECRET and refuses TEST_CLOCK in production', () => {
    expect(problemsOf({ NODE_ENV: 'production', TEST_CLOCK: '1' })).toEqual([
      'JWT_SECRET is required when NODE_ENV=production',
      'TEST_CLOCK is refused when NODE_ENV=production',
    ]);
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32) })).toEqual([]);
  });

  it('refuses the demo in production: its users have known passwords', () => {
    expect(
      problemsOf({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32), SEED_DEMO: '1' }),
    ).toEqual(['SEED_DEMO is refused when NODE_ENV=production (its users have known passwords)']);
  });

  it('trusts X-Forwarded-For only from the proxies TRUST_PROXY names', () => {
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      '::1',
    ]);
    expect(problemsOf({ TRUST_PROXY: 'everyone,10.0.0.0/99' })).toEqual([
      'TRUST_PROXY must list addresses, subnets (10.0.0.0/8) or loopback/linklocal/uniquelocal (got "everyone")',
      'TRUST_PROXY must list addresses, subnets (10.0.0.0/8) or loopback/linklocal/uniquelocal (got "10.0.0.0/99")',
    ]);
  });

  it('takes PUBLIC_BASE_URL for printed links: http(s) only, no trailing slash, else the port', () => {
    expect(loadConfig({ PORT: '8080' }, '/srv/app').publicBaseUrl).toBe('http://localhost:8080');
    expect(
      loadConfig({ PUBLIC_BASE_URL: 'https://gongshi.example.cn/' }, '/srv/app').publicBaseUrl,
    ).toBe('https://gongshi.example.cn');
    expect(problemsOf({ PUBLIC_BASE_URL: 'ftp://x' })).toEqual([
      'PUBLIC_BASE_URL must be an http:// or https:// URL (got "ftp://x")',
    ]);
    expect(problemsOf({ PUBLIC_BASE_URL: 'localhost:3000' })).toHaveLength(1);
  });
});
