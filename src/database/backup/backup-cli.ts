import path from 'node:path';
import { ConfigError, loadConfig } from '../../config/app-config';
import { provideDatabase } from '../database-provider';
import { writeBackup } from './backup';
import { BackupError } from './backup-format';
import { instanceDatabase } from './instance';
import { restoreBackup } from './restore';

/**
 * `npm run backup -- FILE`: a consistent backup of the instance (DATABASE_URL, or the embedded
 * PostgreSQL under DATA_DIR, running or not) and of the files and secrets under DATA_DIR, while
 * the app serves. `npm run restore -- FILE`: into an empty DATA_DIR (and, with DATABASE_URL, an
 * empty database). See docs/operations.md.
 */
async function main(): Promise<void> {
  const [command, file] = process.argv.slice(2);
  if ((command !== 'backup' && command !== 'restore') || !file)
    throw new BackupError(`Usage: npm run ${command ?? 'backup'} -- FILE`);
  const config = loadConfig(process.env);
  // eslint-disable-next-line no-console -- a command-line tool reports on stdout
  const log = (message: string): void => console.log(message);
  const started = Date.now();
  if (command === 'backup') {
    const database = await instanceDatabase(config, log);
    try {
      await writeBackup({ url: database.url, dataDir: config.dataDir, file, log });
    } finally {
      await database.stop();
    }
  } else {
    await restoreBackup({
      file,
      dataDir: config.dataDir,
      database: () => provideDatabase(config, log),
      log,
    });
    log(`Start the app with DATA_DIR=${path.resolve(config.dataDir)} to serve the restored data`);
  }
  log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  if (error instanceof BackupError || error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
