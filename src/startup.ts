import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig } from './config/app-config';
import { persistentSecret } from './config/runtime-secrets';
import { DemoSeedService } from './modules/demo/demo-seed.service';
import { UsersService } from './modules/users/users.service';

/**
 * Data the app needs before it serves: the admin (from ADMIN_USERNAME/ADMIN_PASSWORD, or a
 * generated one on a database without any admin), then the demo when SEED_DEMO=1.
 */
export async function prepareData(
  app: INestApplication,
  config: AppConfig,
  logger: Logger,
): Promise<void> {
  const users = app.get(UsersService);
  if (config.admin) {
    const outcome = await users.ensureAdmin(config.admin.username, config.admin.password);
    logger.info(
      { admin: config.admin.username, outcome },
      `Admin "${config.admin.username}" (from ADMIN_USERNAME) ${outcome}`,
    );
    forgetGeneratedPassword(config, logger);
  } else if (!(await users.hasAdmin())) {
    const secret = persistentSecret(config.dataDir, 'admin-password', () =>
      randomBytes(12).toString('base64url'),
    );
    await users.ensureAdmin('admin', secret.value);
    logger.info(
      { admin: 'admin', passwordFile: secret.file },
      `Created admin "admin"; its password is in ${secret.file} (set ADMIN_USERNAME/ADMIN_PASSWORD to choose your own)`,
    );
  }

  if (config.seedDemo) {
    const demo = await app.get(DemoSeedService).seedIfEmpty();
    if (demo) {
      logger.info(
        { users: demo.usernames },
        `Loaded the Qiaocheng 2014 demo (谯城区 双沟镇): log in as ${demo.usernames.join(', ')} (their password is in the README)`,
      );
    }
  }
}

/**
 * DATA_DIR/admin-password holds the password generated for "admin" on a first start without
 * ADMIN_USERNAME/ADMIN_PASSWORD. Once they set admin's password, that file no longer opens
 * anything: it is removed, so that nobody logs in with a stale password and gets 401. (Another
 * ADMIN_USERNAME leaves "admin" and its file as they are.)
 */
function forgetGeneratedPassword(config: AppConfig, logger: Logger): void {
  if (!config.admin || config.admin.username.toLowerCase() !== 'admin') return;
  const file = path.join(config.dataDir, 'admin-password');
  if (!fs.existsSync(file)) return;
  fs.rmSync(file, { force: true });
  logger.info(
    { passwordFile: file },
    `Removed ${file}: admin's password is now the one ADMIN_PASSWORD sets`,
  );
}
