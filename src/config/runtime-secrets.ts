import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from './app-config';

/** Reads a secret kept under DATA_DIR, creating it (mode 600) on the first start. */
export function persistentSecret(
  dataDir: string,
  name: string,
  create: () => string,
): { value: string; file: string; created: boolean } {
  const file = path.join(dataDir, name);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    return { value: fs.readFileSync(file, 'utf8').trim(), file, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const value = create();
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return { value, file, created: true };
}

/** JWT_SECRET, or one generated once and kept in DATA_DIR/jwt-secret (never in production). */
export function resolveJwtSecret(config: AppConfig): string {
  if (config.jwtSecret) return config.jwtSecret;
  return persistentSecret(config.dataDir, 'jwt-secret', () => randomBytes(48).toString('base64url'))
    .value;
}
