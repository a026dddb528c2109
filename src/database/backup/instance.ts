import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../../config/app-config';
import { EMBEDDED_DATABASE, provideDatabase, type ProvidedDatabase } from '../database-provider';

/**
 * The database of an instance: DATABASE_URL; or the embedded PostgreSQL the running app started
 * under DATA_DIR/pg (found through its postmaster.pid and DATA_DIR/pg.password, without
 * disturbing it); or, when the app is not running, the embedded PostgreSQL started for the
 * command and stopped after it.
 */
export async function instanceDatabase(
  config: AppConfig,
  log: (message: string) => void,
): Promise<ProvidedDatabase> {
  if (!config.databaseUrl) {
    const running = runningEmbedded(config.dataDir);
    if (running) {
      log(`Using the running embedded PostgreSQL on 127.0.0.1:${running.port}`);
      return {
        url: `postgresql://postgres:${encodeURIComponent(running.password)}@127.0.0.1:${running.port}/${EMBEDDED_DATABASE}`,
        description: `embedded PostgreSQL on 127.0.0.1:${running.port}`,
        stop: () => Promise.resolve(),
      };
    }
  }
  return provideDatabase(config, log);
}

function runningEmbedded(dataDir: string): { port: number; password: string } | null {
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  const passwordFile = path.join(dataDir, 'pg.password');
  let lines: string[];
  try {
    lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  return { port, password: fs.readFileSync(passwordFile, 'utf8').trim() };
}
