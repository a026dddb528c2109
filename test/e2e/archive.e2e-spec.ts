import { Api, type Session } from '../support/api';
import { checkAuditEvents, readBag, validateBag, type Bag } from '../support/bagit';
import { createTestApp, type TestApp } from '../support/test-app';

describe('the season’s file (归档): BagIt bags of a contract and of a project', () => {
  let test: TestApp;
  let agri: Session;
  let paid: { id: string; contractNo: string; projectId: string; organisationId: string };

  const fetchBytes = (path: string, session: Session) =>
    test
      .http()
      .get(path)
      .set(session.auth)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
  const fetchBag = async (path: string, session: Session): Promise<Bag> => {
    const response = await fetchBytes(path, session);
    expect(response.headers['content-type']).toBe('application/zip');
    return readBag(response.body as Buffer);
  };
  /** Flips one byte of each payload file in turn: validation fails at that file, and only there. */
  const expectEveryFlipCaught = (bag: Bag): void => {
    for (const [path, bytes] of bag.files) {
      if (!path.startsWith('data/') || bytes.length === 0) continue;
      const flipped = Buffer.from(bytes);
      flipped[Math.floor(flipped.length / 2)] ^= 0x01;
      const damaged = { root: bag.root, files: new Map(bag.files).set(path, flipped) };
      expect(validateBag(damaged)).toEqual([`${path}: SHA-256 differs from the manifest`]);
    }
  };

  beforeAll(async () => {
    test = await createTestApp({ seedDemo: true });
    agri = await new Api(test).login('agri', 'Demo-2014');
    const contracts = (await test.http().get('/contracts').set(agri.auth).expect(200)).body
      .items as (typeof paid & { state: string })[];
    paid = contracts.find((contract) => contract.state === 'paid') as typeof paid;
  });
  afterAll(async () => {
    await test.close();
  });

  it('the paid contract’s bag validates, holds its papers as issued, and every flipped byte fails it', async () => {
    const bag = await fetchBag(`/contracts/${paid.id}/archive`, agri);
    expect(bag.root).toBe(paid.contractNo);
    expect(validateBag(bag)).toEqual([]);
    const info = bag.files.get('bag-info.txt')?.toString('utf8') ?? '';
    expect(info).toContain(`External-Identifier: ${paid.contractNo}\n`);
    expect(info).toMatch(/^Source-Organization: .+$/m);
    expect(info).toMatch(/^Bagging-Date: \d{4}-\d{2}-\d{2}$/m);
    const names = [...bag.files.keys()].filter((name) => name.startsWith('data/')).sort();
    for (const name of [
      'data/documents/award-notice.pdf',
      'data/documents/application.pdf',
      'data/documents/register.pdf',
      'data/documents/audit.pdf',
      'data/documents/media-notice.pdf',
      'data/documents/payout-order.pdf',
      'data/register.csv',
      'data/history.json',
      'data/calculation.json',
      'data/audit-events.json',
    ])
      expect(names).toContain(name);
    expect(names.some((name) => /^data\/documents\/village-notice-.+-\d+\.pdf$/.test(name))).toBe(
      true,
    );
    expect(names.some((name) => /^data\/documents\/acceptance-.+\.pdf$/.test(name))).toBe(true);
    expect(names.some((name) => name.startsWith('data/attachments/'))).toBe(true);
    expect(names).not.toContain('data/sample.json');

    // The documents are the issued ones: a download gives the same bytes, and they check.
    const download = await fetchBytes(`/contracts/${paid.id}/documents/award-notice`, agri);
    expect(
      (download.body as Buffer).equals(bag.files.get('data/documents/award-notice.pdf') as Buffer),
    ).toBe(true);
    await test.http().get(`/public/documents/${download.headers['x-document-sha256']}`).expect(200);

    const csv = bag.files.get('data/register.csv') as Buffer;
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toContain('身份证号');
    expect(lines.length).toBeGreaterThan(1);
    expect(csv.toString('utf8')).not.toMatch(/341602(19|20)\d{6}\d{3}[\dX]/);

    const events = bag.files.get('data/audit-events.json') as Buffer;
    expect(JSON.parse(events.toString('utf8')).events.length).toBeGreaterThan(3);
    expect(checkAuditEvents(events)).toEqual([]);
    // A changed event body is caught from the file alone.
    const forged = JSON.parse(events.toString('utf8'));
    forged.events[1].actorUsername = 'someone-else';
    expect(checkAuditEvents(Buffer.from(JSON.stringify(forged)))).toEqual([
      `event ${forged.events[1].seq}: body digest differs`,
    ]);

    expectEveryFlipCaught(bag);
  });

  it('the 2014 project’s bag validates, one folder per contract, and every flipped byte fails it', async () => {
    const bag = await fetchBag(`/projects/${paid.projectId}/archive`, agri);
    expect(validateBag(bag)).toEqual([]);
    for (const name of ['data/project.json', 'data/summary.json', 'data/tenders.json'])
      expect(bag.files.has(name)).toBe(true);
    expect(bag.files.has(`data/${paid.contractNo}/register.csv`)).toBe(true);
    expect(bag.files.has(`data/${paid.contractNo}/documents/payout-order.pdf`)).toBe(true);
    for (const [name, bytes] of bag.files)
      if (name.endsWith('audit-events.json'))
        expect([name, checkAuditEvents(bytes)]).toEqual([name, []]);
    expectEveryFlipCaught(bag);
  });

  it('a contract with an audit sample carries sample.json: the sample as its route shows it, disclosed by role', async () => {
    const [{ contract_id: sampled }] = await test.dataSource.query<{ contract_id: string }[]>(
      `SELECT contract_id FROM audit_sample ORDER BY drawn_at LIMIT 1`,
    );
    const shown = (
      await test.http().get(`/contracts/${sampled}/audit/sample`).set(agri.auth).expect(200)
    ).body as { seed: string; rows: { householdIdNo: string; visit: unknown }[] };
    const bag = await fetchBag(`/contracts/${sampled}/archive`, agri);
    expect(validateBag(bag)).toEqual([]);
    const json = JSON.parse((bag.files.get('data/sample.json') as Buffer).toString('utf8'));
    expect(json).toEqual(shown);
    expect(json.rows.length).toBeGreaterThan(0);
    expect(json.rows.every((row: { visit: unknown }) => row.visit !== null)).toBe(true);
    // The cooperative's own bag has it too, with no resident ID in full.
    const [{ username }] = await test.dataSource.query<{ username: string }[]>(
      `SELECT u.username FROM app_user u JOIN contract c ON c.organisation_id = u.organisation_id
        WHERE c.id = $1 AND u.role = 'cooperative' ORDER BY u.username LIMIT 1`,
      [sampled],
    );
    const own = await new Api(test).login(username, 'Demo-2014');
    const coopBag = await fetchBag(`/contracts/${sampled}/archive`, own);
    const coopJson = (coopBag.files.get('data/sample.json') as Buffer).toString('utf8');
    const coopSample = JSON.parse(coopJson) as typeof shown;
    expect(coopSample.seed).toBe(shown.seed);
    for (const row of coopSample.rows) expect(row.householdIdNo).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
  });

  it('discloses by role: the cooperative gets its own contract, others 404, a village verifier 403', async () => {
    const [{ username }] = await test.dataSource.query<{ username: string }[]>(
      `SELECT username FROM app_user WHERE organisation_id = $1 AND role = 'cooperative' ORDER BY username LIMIT 1`,
      [paid.organisationId],
    );
    const own = await new Api(test).login(username, 'Demo-2014');
    const coopBag = await fetchBag(`/contracts/${paid.id}/archive`, own);
    expect(validateBag(coopBag)).toEqual([]);
    const finance = await new Api(test).login('finance', 'Demo-2014');
    const financeBag = await fetchBag(`/contracts/${paid.id}/archive`, finance);
    // The agriculture committee's payout order masks the account; finance's shows it.
    const agriBag = await fetchBag(`/contracts/${paid.id}/archive`, agri);
    const order = (bag: Bag) => bag.files.get('data/documents/payout-order.pdf') as Buffer;
    expect(order(financeBag).equals(order(agriBag))).toBe(false);
    const [{ username: stranger }] = await test.dataSource.query<{ username: string }[]>(
      `SELECT username FROM app_user WHERE role = 'cooperative' AND organisation_id <> $1 ORDER BY username LIMIT 1`,
      [paid.organisationId],
    );
    const other = await new Api(test).login(stranger, 'Demo-2014');
    await test.http().get(`/contracts/${paid.id}/archive`).set(other.auth).expect(404);
    await test.http().get(`/projects/${paid.projectId}/archive`).set(own.auth).expect(403);
    const [{ username: verifier }] = await test.dataSource.query<{ username: string }[]>(
      `SELECT username FROM app_user WHERE role = 'village_verifier' ORDER BY username LIMIT 1`,
    );
    const village = await new Api(test).login(verifier, 'Demo-2014');
    const refused = await test
      .http()
      .get(`/contracts/${paid.id}/archive`)
      .set(village.auth)
      .expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
  });
});
