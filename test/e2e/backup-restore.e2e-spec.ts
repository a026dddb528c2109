import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { writeBackup } from '../../src/database/backup/backup';
import { BackupError } from '../../src/database/backup/backup-format';
import { restoreBackup } from '../../src/database/backup/restore';
import { Api, type Session } from '../support/api';
import { createTestApp, createTestDatabase, startTestApp, type TestApp } from '../support/test-app';

/** Row count and digest of every table, read through `query` (the snapshot's or another). */
async function fingerprintOf(
  query: <T>(sql: string) => Promise<T[]>,
): Promise<Record<string, string>> {
  const tables = await query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const result: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await query<{ n: string; digest: string }>(
      `SELECT count(*)::text AS n, coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS digest FROM "${name}" t`,
    );
    result[name] = `${row.n}:${row.digest}`;
  }
  return result;
}

function filesUnder(root: string): Map<string, string> {
  const found = new Map<string, string>();
  if (!fs.existsSync(root)) return found;
  for (const prefix of fs.readdirSync(root))
    for (const name of fs.readdirSync(path.join(root, prefix))) {
      if (name.endsWith('.tmp')) continue;
      const bytes = fs.readFileSync(path.join(root, prefix, name));
      found.set(name, createHash('sha256').update(bytes).digest('hex'));
    }
  return found;
}

/** A copy of a backup whose manifest names `migration` too, digests made to fit. */
async function withExtraMigration(file: string, target: string, migration: string): Promise<void> {
  const extract = tar.extract();
  const pack = tar.pack();
  let manifest = '';
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      let body = Buffer.concat(chunks);
      if (header.name === 'manifest.json') {
        const parsed = JSON.parse(body.toString('utf8')) as { migrations: string[] };
        parsed.migrations.push(migration);
        manifest = JSON.stringify(parsed);
        body = Buffer.from(manifest);
      } else if (header.name === 'manifest.sha256') {
        body = Buffer.from(
          `${createHash('sha256').update(manifest).digest('hex')}  manifest.json\n`,
        );
      }
      pack.entry({ name: header.name, size: body.length }, body, next);
    });
  });
  extract.on('finish', () => pack.finalize());
  await Promise.all([
    pipeline(fs.createReadStream(file), createGunzip(), extract),
    pipeline(pack, createGzip(), fs.createWriteStream(target)),
  ]);
}

describe('backup and restore: the drill', () => {
  let test: TestApp;
  let work: string;

  beforeAll(async () => {
    test = await createTestApp({ seedDemo: true });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-subsidy-drill-'));
  });
  afterAll(async () => {
    await test.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('restores into a new DATA_DIR exactly what the database and files were at the backup, while commands ran', async () => {
    // The secret the app keeps in DATA_DIR when JWT_SECRET is not set: it travels with the backup.
    fs.writeFileSync(path.join(test.config.dataDir, 'jwt-secret'), `${test.config.jwtSecret}\n`);
    const agri = await new Api(test).login('agri', 'Demo-2014');
    const contracts = (await test.http().get('/contracts').set(agri.auth).expect(200)).body
      .items as { id: string; state: string; organisationId: string }[];
    const paid = contracts.find((contract) => contract.state === 'paid') as (typeof contracts)[0];
    const issued = await test
      .http()
      .get(`/contracts/${paid.id}/documents/audit`)
      .set(agri.auth)
      .expect(200);
    const issuedSha = issued.headers['x-document-sha256'];
    const [{ username: coopName }] = await test.dataSource.query<{ username: string }[]>(
      `SELECT username FROM app_user WHERE organisation_id = $1 AND role = 'cooperative' LIMIT 1`,
      [paid.organisationId],
    );
    const coop = await new Api(test).login(coopName, 'Demo-2014');

    // Commands keep coming while the backup runs: uploads (rows, audit events, files).
    let running = true;
    let uploads = 0;
    const commands = (async () => {
      while (running) {
        await test
          .http()
          .post(`/contracts/${paid.id}/attachments`)
          .set(coop.auth)
          .field('kind', 'other')
          .attach('file', Buffer.from(`%PDF-1.4 during the backup ${uploads}`), 'during.pdf')
          .expect(201);
        uploads += 1;
      }
    })();
    const file = path.join(work, 'demo.backup');
    let atBackup: Record<string, string> = {};
    let filesAtBackup: string[] = [];
    try {
      await writeBackup({
        url: test.databaseUrl,
        dataDir: test.config.dataDir,
        file,
        onSnapshot: async (query) => {
          while (uploads < 2) await new Promise((resolve) => setTimeout(resolve, 50));
          atBackup = await fingerprintOf(query);
          filesAtBackup = (
            await query<{ sha256: string }>(
              `SELECT sha256 FROM attachment UNION SELECT file_sha256 FROM issued_document WHERE file_sha256 IS NOT NULL`,
            )
          ).map((row) => row.sha256);
        },
      });
    } finally {
      running = false;
      await commands;
    }
    // The live database moved on after the snapshot: the backup must not show those commands.
    const live = await fingerprintOf((sql) => test.dataSource.query(sql));
    expect(live.attachment).not.toBe(atBackup.attachment);

    const restoredDir = path.join(work, 'restored');
    const database = await createTestDatabase({ migrate: false });
    try {
      await restoreBackup({
        file,
        dataDir: restoredDir,
        database: () => Promise.resolve({ url: database.url, stop: () => Promise.resolve() }),
      });
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        const restored = await fingerprintOf(
          async <T>(sql: string) => (await client.query(sql)).rows as T[],
        );
        expect(restored).toEqual(atBackup);
      } finally {
        await client.end();
      }
      // Every file the snapshot names, with its bytes; none of those uploaded after it.
      const restoredFiles = filesUnder(path.join(restoredDir, 'files'));
      expect([...restoredFiles.keys()].sort()).toEqual([...filesAtBackup].sort());
      for (const [name, digest] of restoredFiles) expect(digest).toBe(name);
      const secret = fs.readFileSync(path.join(restoredDir, 'jwt-secret'), 'utf8').trim();
      expect(secret).toBe(test.config.jwtSecret);

      const restoredApp: TestApp = await startTestApp({
        databaseUrl: database.url,
        dataDir: restoredDir,
        jwtSecret: secret,
      });
      try {
        // A token of the backup's secret still works; the chains verify; documents check.
        const admin = await new Api(restoredApp).admin();
        const verified = await restoredApp
          .http()
          .get('/audit-log/verify')
          .set(admin.auth)
          .expect(200);
        expect(verified.body.ok).toBe(true);
        await restoredApp.http().get(`/public/documents/${issuedSha}`).expect(200);
        const again = await restoredApp
          .http()
          .get(`/contracts/${paid.id}/documents/audit`)
          .set(agri.auth)
          .expect(200);
        expect(again.headers['x-document-sha256']).toBe(issuedSha);
        // The payout's idempotency key answers with the stored response.
        const [stored] = await restoredApp.dataSource.query<
          { response_status: number; response_body: string }[]
        >(
          `SELECT response_status, response_body FROM idempotency_key WHERE key = 'demo-2015-payout-1'`,
        );
        const finance2: Session = await new Api(restoredApp).login('finance2', 'Demo-2014');
        const replay = await restoredApp
          .http()
          .post(`/contracts/${paid.id}/payouts`)
          .set(finance2.auth)
          .set('Idempotency-Key', 'demo-2015-payout-1')
          .send({});
        expect(replay.status).toBe(stored.response_status);
        expect(replay.body).toEqual(JSON.parse(stored.response_body));
      } finally {
        await restoredApp.close();
      }
    } finally {
      await database.drop();
    }

    // Refusals, each with its message: a non-empty target, a damaged file, a newer schema.
    const noDatabase = () => Promise.reject(new Error('must not be reached'));
    await expect(
      restoreBackup({ file, dataDir: restoredDir, database: noDatabase }),
    ).rejects.toThrow(/is not empty/);
    const damaged = path.join(work, 'damaged.backup');
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0x20;
    fs.writeFileSync(damaged, bytes);
    await expect(
      restoreBackup({ file: damaged, dataDir: path.join(work, 'd1'), database: noDatabase }),
    ).rejects.toThrow(BackupError);
    await expect(
      restoreBackup({ file: damaged, dataDir: path.join(work, 'd1'), database: noDatabase }),
    ).rejects.toThrow(/is damaged/);
    const newer = path.join(work, 'newer.backup');
    await withExtraMigration(file, newer, 'FromTheFuture9999999999999');
    await expect(
      restoreBackup({ file: newer, dataDir: path.join(work, 'd2'), database: noDatabase }),
    ).rejects.toThrow(
      /newer schema than this code knows \(migrations FromTheFuture9999999999999\)/,
    );
  }, 240_000);
});
