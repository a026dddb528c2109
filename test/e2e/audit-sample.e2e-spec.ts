import { createHash } from 'node:crypto';
import { Api, type Session } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { payableContracts, type PayableWorld } from '../support/payable';
import { race, tally } from '../support/race-client';
import { createTestApp, startWeakenedTwin, type TestApp } from '../support/test-app';
import { fetchPdfText } from '../support/pdf-text';

/**
 * The district audit by sample (api.md, "District audit by sample"; issue 24), through HTTP:
 * the draw, the visits and photos, the approval's refusals and default, a re-draw by a script
 * that knows only api.md's procedure, and two visits of one row at once.
 */

/** Ten register rows of every contract: 100.00 mu in all (hundredths). */
const ROWS = [1000, 2000, 1500, 500, 1200, 800, 900, 1100, 600, 400];

interface SampleRow {
  rowId: string;
  row: number;
  taskCode: string;
  villageCode: string;
  householdIdNo: string;
  verifiedAreaMu: string;
}
interface Sample {
  id: string;
  seed: string;
  chainHash: string;
  rows: SampleRow[];
  taskLines?: {
    taskCode: string;
    sampledAreaMu: string;
    observedAreaMu: string;
    shortfallPct: string;
    maxAuditedAreaMu: string | null;
  }[];
}

/** api.md's procedure, written here without the app's code: SHA-256 and BigInt only. */
function redraw(
  contractId: string,
  chainHash: string,
  rows: {
    id: string;
    row: number;
    villageCode: string;
    taskCode: string;
    verifiedAreaMu: string;
  }[],
  ratePct: string,
  minPerVillage: number,
): { seed: string; rowIds: string[] } {
  const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  const seed = sha(`${contractId}:${chainHash}`);
  const hundredths = (text: string) => {
    const [whole, fraction = ''] = text.split('.');
    return BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  };
  const parts = new Map<string, typeof rows>();
  for (const row of rows) {
    if (hundredths(row.verifiedAreaMu) <= 0n) continue;
    const key = `${row.taskCode}|${row.villageCode}`;
    parts.set(key, [...(parts.get(key) ?? []), row]);
  }
  const rate = hundredths(ratePct); // percent in hundredths
  const picked: string[] = [];
  for (const key of [...parts.keys()].sort()) {
    const candidates = parts.get(key) ?? [];
    const n = BigInt(candidates.length);
    const byRate = (rate * n + 9999n) / 10000n; // ceil(rate% × n / 100)
    const size = Math.min(candidates.length, Math.max(minPerVillage, Number(byRate)));
    const keyed = candidates.map((row) => ({
      row,
      w: hundredths(row.verifiedAreaMu),
      h: BigInt(`0x${sha(`${seed}:${row.id}`)}`),
    }));
    keyed.sort((i, j) => {
      const left = i.w * (j.h + 1n);
      const right = j.w * (i.h + 1n);
      if (left !== right) return left > right ? -1 : 1;
      if (i.row.row !== j.row.row) return i.row.row - j.row.row;
      return i.row.id < j.row.id ? -1 : 1;
    });
    picked.push(...keyed.slice(0, size).map((entry) => entry.row.id));
  }
  return { seed, rowIds: picked };
}

const mu = (hundredths: number) => (hundredths / 100).toFixed(2);
const toHundredths = (text: string) => Math.round(Number(text) * 100);

describe('district audit by sample', () => {
  let test: TestApp;
  /** Under a policy with auditSample (30 %, at least 1 per village, 2 % tolerance). */
  let world: PayableWorld;
  /** Without a policy. */
  let plain: PayableWorld;
  let observer: Session;
  const http = () => test.http();

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    const api = new Api(test);
    world = await payableContracts(test, api, 3, 3, {
      stopBeforeAudit: true,
      rowAreas: ROWS,
      beforeProject: async (district, admin) => {
        await test
          .http()
          .post('/policies')
          .set(admin.auth)
          .send({
            code: `AS-${district}`,
            name: '2015年抽查核验标准',
            districtCode: district,
            effectiveFrom: '2015-01-01',
            subsidySharePct: 100,
            requireDirectoryListing: false,
            auditSample: { ratePct: '30', minPerVillage: 1, tolerancePct: '2.00' },
          })
          .expect(201);
      },
    });
    plain = await payableContracts(test, api, 2, 2, {
      stopBeforeAudit: true,
      rowAreas: ROWS,
      assessment: { quality: 'good', note: '收割及时，群众满意' },
    });
    observer = await api.user('observer', { regionCode: world.district });
  }, 240_000);
  afterAll(async () => {
    await test.close();
  });

  const draw = (id: string, session: Session = world.agri) =>
    http().post(`/contracts/${id}/audit/sample`).set(session.auth);
  const getSample = async (id: string, session: Session = world.agri) =>
    (await http().get(`/contracts/${id}/audit/sample`).set(session.auth).expect(200))
      .body as Sample;
  const visit = (sampleId: string, body: object, session: Session = world.agri) =>
    http().post(`/audit-samples/${sampleId}/visits`).set(session.auth).send(body);
  const approve = (id: string, body: object = {}, session: Session = world.agri) =>
    http().post(`/contracts/${id}/audit/approvals`).set(session.auth).send(body);
  const count = async (sql: string, params: unknown[]) =>
    (await test.dataSource.query<{ n: number }[]>(sql, params))[0].n;

  /** The contracts whose audit sample waits on the caller (`GET /work-items?kind=audit.sample`). */
  const sampleItems = async (session: Session) =>
    (
      (await http().get('/work-items?kind=audit.sample').set(session.auth).expect(200)).body as {
        items: { contractId: string }[];
      }
    ).items.map((item) => item.contractId);

  /** Every sampled row visited at its verified area, but `short` visited at `observed`. */
  async function visitAll(sample: Sample, short?: { rowId: string; observedAreaMu: string }) {
    for (const row of sample.rows) {
      const observed = row.rowId === short?.rowId ? short.observedAreaMu : row.verifiedAreaMu;
      await visit(sample.id, {
        rowId: row.rowId,
        visitedOn: '2015-07-10',
        method: 'household',
        householdConfirms: true,
        observedAreaMu: observed,
        satisfaction: 'satisfied',
      }).expect(201);
    }
  }

  it('the policy carries its auditSample and validates it', async () => {
    const policies = await http()
      .get(`/policies?districtCode=${world.district}`)
      .set(world.admin.auth)
      .expect(200);
    expect(policies.body.items[0].auditSample).toEqual({
      ratePct: '30.00',
      minPerVillage: 1,
      tolerancePct: '2.00',
    });
    for (const auditSample of [
      { ratePct: 0, minPerVillage: 1, tolerancePct: 2 },
      { ratePct: '100.01', minPerVillage: 1, tolerancePct: 2 },
      { ratePct: 5, minPerVillage: 1001, tolerancePct: 2 },
      { ratePct: 5, minPerVillage: 1.5, tolerancePct: 2 },
      { ratePct: 5, minPerVillage: 1, tolerancePct: '2.001' },
      { ratePct: 5, minPerVillage: 1 },
    ]) {
      const refused = await expectNoWrites(test.dataSource, () =>
        http().post('/policies').set(world.admin.auth).send({
          code: 'BAD-SAMPLE',
          name: '错误的抽查参数',
          districtCode: world.district,
          effectiveFrom: '2030-01-01',
          subsidySharePct: 50,
          requireDirectoryListing: false,
          auditSample,
        }),
      );
      expect({ status: refused.status, code: refused.body.code }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    const contract = await http()
      .get(`/contracts/${world.contractIds[0]}`)
      .set(world.agri.auth)
      .expect(200);
    expect(contract.body.policy.auditSample).toEqual({
      ratePct: '30.00',
      minPerVillage: 1,
      tolerancePct: '2.00',
    });
  });

  it('under a policy with auditSample, no approval before the sample is drawn: 409 AUDIT_SAMPLE_INCOMPLETE, nothing written', async () => {
    const refused = await expectNoWrites(test.dataSource, () => approve(world.contractIds[0]));
    expect({ status: refused.status, code: refused.body.code }).toEqual({
      status: 409,
      code: 'AUDIT_SAMPLE_INCOMPLETE',
    });
    // The to-do list: the agriculture committee has the sample to draw and visit, for this
    // contract under the policy's sample and not for one without it.
    expect(await sampleItems(world.agri)).toContain(world.contractIds[0]);
    expect(await sampleItems(plain.agri)).toEqual([]);
  });

  it('the draw: who may, once per contract, 30 % per village part, a history event and an audit row; a script outside the app re-draws it', async () => {
    const id = world.contractIds[0];
    for (const session of [world.coops[0]]) {
      const forbidden = await expectNoWrites(test.dataSource, () => draw(id, session));
      expect(forbidden.status).toBe(403);
    }
    // What anyone with the audit log knows before the draw: the district chain's head.
    const heads = await http().get('/audit-log/heads').set(world.admin.auth).expect(200);
    const head = (heads.body.heads as { chain: string; hash: string }[]).find(
      (candidate) => candidate.chain === world.district,
    );
    expect(head).toBeDefined();
    const drawn = await draw(id).expect(201);
    const sample = drawn.body as Sample & { ratePct: string; tolerancePct: string };
    expect(sample).toMatchObject({ ratePct: '30.00', minPerVillage: 1, tolerancePct: '2.00' });
    expect(sample.chainHash).toBe(head?.hash);
    expect(sample.rows).toHaveLength(3); // ceil(30 % × 10)
    for (const row of sample.rows) expect(row.householdIdNo).toMatch(/\*{8}/);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM contract_history WHERE contract_id = $1 AND event = 'audit.sampleDrawn'`,
        [id],
      ),
    ).toBe(1);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM audit_event WHERE entity_id = $1 AND action = 'audit.sampleDrawn'`,
        [id],
      ),
    ).toBe(1);

    // The re-draw: the contract id, the head before the draw, and the register's rows.
    const register = await http()
      .get(`/contracts/${id}/register?limit=100`)
      .set(observer.auth)
      .expect(200);
    const again = redraw(id, head?.hash as string, register.body.items, '30', 1);
    expect(again.seed).toBe(sample.seed);
    expect(sample.rows.map((row) => row.rowId)).toEqual(again.rowIds);

    const twice = await expectNoWrites(test.dataSource, () => draw(id, world.approver));
    expect({ status: twice.status, code: twice.body.code }).toEqual({
      status: 409,
      code: 'AUDIT_SAMPLE_EXISTS',
    });
  });

  it('visits: only sampled rows, once, no more than verified, not before signing; each refusal writes nothing', async () => {
    const id = world.contractIds[0];
    const sample = await getSample(id, observer);
    const sampled = new Set(sample.rows.map((row) => row.rowId));
    const register = await http().get(`/contracts/${id}/register?limit=100`).set(world.agri.auth);
    const outside = (register.body.items as { id: string }[]).find((row) => !sampled.has(row.id));
    const row = sample.rows[0];
    const body = {
      rowId: row.rowId,
      visitedOn: '2015-07-10',
      method: 'field',
      householdConfirms: true,
      observedAreaMu: row.verifiedAreaMu,
    };
    const cases: [object, number, string, string?][] = [
      [{ ...body, rowId: outside?.id }, 409, 'NOT_IN_SAMPLE'],
      [
        { ...body, observedAreaMu: mu(toHundredths(row.verifiedAreaMu) + 1) },
        400,
        'AREA_ABOVE_PREVIOUS_STAGE',
        'observedAreaMu',
      ],
      [{ ...body, visitedOn: '2015-05-03' }, 400, 'VALIDATION_FAILED', 'visitedOn'],
      [{ ...body, method: 'letter' }, 400, 'VALIDATION_FAILED', 'method'],
      [{ ...body, satisfaction: 'happy' }, 400, 'VALIDATION_FAILED', 'satisfaction'],
      [{ ...body, observedAreaMu: '1.001' }, 400, 'VALIDATION_FAILED', 'observedAreaMu'],
    ];
    for (const [input, status, code, field] of cases) {
      const refused = await expectNoWrites(test.dataSource, () => visit(sample.id, input));
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status, code });
      if (field) {
        expect((refused.body.errors as { field: string }[]).map((error) => error.field)).toContain(
          field,
        );
      }
    }
    const cooperative = await expectNoWrites(test.dataSource, () =>
      visit(sample.id, body, world.coops[0]),
    );
    expect(cooperative.status).toBe(403);
    const unknown = await expectNoWrites(test.dataSource, () =>
      visit('00000000-0000-4000-8000-000000000000', body),
    );
    expect(unknown.status).toBe(404);

    const created = await visit(sample.id, { ...body, satisfaction: 'neutral' }).expect(201);
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const again = await expectNoWrites(test.dataSource, () => visit(sample.id, body));
    expect({ status: again.status, code: again.body.code }).toEqual({
      status: 409,
      code: 'ALREADY_VISITED',
    });
    // Partly visited: the first approval still waits.
    const early = await expectNoWrites(test.dataSource, () => approve(id));
    expect(early.body.code).toBe('AUDIT_SAMPLE_INCOMPLETE');
  });

  it('photos: a JPEG or PNG (EXIF read when there), anything else 415', async () => {
    const id = world.contractIds[0];
    const sample = await getSample(id);
    const visitId = (
      await test.dataSource.query<{ id: string }[]>(
        'SELECT id FROM audit_visit WHERE sample_id = $1 LIMIT 1',
        [sample.id],
      )
    )[0].id;
    const upload = (content: Buffer, name: string) =>
      http()
        .post(`/audit-visits/${visitId}/photos`)
        .set(world.agri.auth)
        .attach('file', content, name);
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const stored = await upload(png, 'field.png').expect(201);
    expect(stored.body).toEqual({
      id: expect.any(String),
      sha256: createHash('sha256').update(png).digest('hex'),
    });
    const jpeg = jpegWithExif();
    const withExif = await upload(jpeg, 'field.jpg').expect(201);
    expect(withExif.body).toMatchObject({
      takenAt: expect.stringMatching(/^2015-07-10T/),
      latitude: expect.closeTo(33.5, 4),
      longitude: expect.closeTo(115.75, 4),
    });
    const bareJpeg = Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x02, 0xff, 0xd9]);
    const bare = await upload(bareJpeg, 'bare.jpg').expect(201);
    expect(bare.body.takenAt).toBeUndefined();
    for (const [content, name] of [
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'x.png'],
      [Buffer.from('%PDF-1.4 not a photo'), 'x.jpg'],
    ] as const) {
      const refused = await expectNoWrites(test.dataSource, () => upload(content, name));
      expect({ status: refused.status, code: refused.body.code }).toEqual({
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
    }
    const missing = await expectNoWrites(test.dataSource, () =>
      http().post(`/audit-visits/${visitId}/photos`).set(world.agri.auth),
    );
    expect(missing.status).toBe(400);
    const shown = await getSample(id);
    const withPhotos = (shown.rows as (SampleRow & { visit: { photos: unknown[] } | null })[]).find(
      (row) => row.visit?.photos.length,
    );
    expect(withPhotos?.visit?.photos).toHaveLength(3);
  });

  it('once visited, the default approval audits exactly the maximum; one hundredth more is 409 AUDIT_SAMPLE_SHORTFALL', async () => {
    const id = world.contractIds[0];
    const before = await getSample(id);
    // The first row was visited at its verified area; one more row falls 5 % short.
    const open = before.rows.filter((row) => !(row as SampleRow & { visit: unknown }).visit);
    const short = open[0];
    const observed = Math.floor((toHundredths(short.verifiedAreaMu) * 95) / 100);
    await visitAll({ ...before, rows: open }, { rowId: short.rowId, observedAreaMu: mu(observed) });
    // Every sampled row visited: the item is gone from the to-do list.
    expect(await sampleItems(world.agri)).not.toContain(id);
    const sample = await getSample(id);
    const line = sample.taskLines?.[0];
    const s = sample.rows.reduce((total, row) => total + toHundredths(row.verifiedAreaMu), 0);
    const o = s - (toHundredths(short.verifiedAreaMu) - observed);
    const accepted = ROWS.reduce((total, area) => total + area, 0);
    // Beyond the 2 % tolerance? Then floor(A × O / S); else A − (S − O).
    const expected =
      (s - o) * 10_000 <= 200 * s ? accepted - (s - o) : Math.floor((accepted * o) / s);
    expect(line).toEqual({
      taskCode: 'wheat_harvest',
      sampledAreaMu: mu(s),
      observedAreaMu: mu(o),
      shortfallPct: expect.any(String),
      maxAuditedAreaMu: mu(expected),
    });
    const above = await expectNoWrites(test.dataSource, () =>
      approve(id, { taskLines: [{ taskCode: 'wheat_harvest', auditedAreaMu: mu(expected + 1) }] }),
    );
    expect({ status: above.status, code: above.body.code }).toEqual({
      status: 409,
      code: 'AUDIT_SAMPLE_SHORTFALL',
    });
    expect(above.body.detail).toContain('wheat_harvest');
    expect(above.body.detail).toContain(mu(expected));
    const approved = await approve(id).expect(200);
    const taskLine = (approved.body.taskLines as { taskCode: string; auditedAreaMu: string }[])[0];
    expect(taskLine.auditedAreaMu).toBe(mu(expected));
    await approve(id, {}, world.approver).expect(200);
  });

  it("the project summary counts the households' satisfaction from the visits", async () => {
    const summary = await http()
      .get(`/projects/${world.projectId}/summary`)
      .set(observer.auth)
      .expect(200);
    expect(summary.body.satisfaction).toEqual({ satisfied: 2, neutral: 1, dissatisfied: 0 });
  });

  it('the audit sheet prints the seed, every sampled row with its visit and the per-task-line maximum', async () => {
    const id = world.contractIds[0];
    const sample = await getSample(id);
    const { status, text: flat } = await fetchPdfText(
      test.http,
      `/contracts/${id}/documents/audit`,
      world.agri.auth,
    );
    expect(status).toBe(200);
    expect(flat).toContain(sample.seed);
    for (const row of sample.rows) {
      expect(flat).toContain(row.verifiedAreaMu);
    }
    expect(flat).toContain(sample.taskLines?.[0].maxAuditedAreaMu as string);
    expect(flat).toContain('入户');
  });

  it("the village's assessment shows on the contract, the board's notice page, the village notice and the acceptance form", async () => {
    const id = plain.contractIds[0];
    const contract = await http().get(`/contracts/${id}`).set(plain.agri.auth).expect(200);
    const part = contract.body.taskLines[0].villageParts[0];
    expect(part.assessment).toEqual({ quality: 'good', note: '收割及时，群众满意' });
    const withoutOne = await http().get(`/contracts/${world.contractIds[2]}`).set(world.agri.auth);
    expect(withoutOne.body.taskLines[0].villageParts[0].assessment).toBeNull();
    const page = await http().get(`/board/notices/${part.noticeId}`).expect(200);
    expect(page.text).toContain('村评价');
    expect(page.text).toContain('好（收割及时，群众满意）');
    const notice = await fetchPdfText(
      test.http,
      `/contracts/${id}/documents/village-notice?taskCode=wheat_harvest&villageCode=${plain.village}`,
      plain.agri.auth,
    );
    expect(notice.text).toContain('好（收割及时，群众满意）');
    const acceptance = await fetchPdfText(
      test.http,
      `/contracts/${id}/documents/acceptance?taskCode=wheat_harvest`,
      plain.agri.auth,
    );
    expect(acceptance.text).toContain('收割及时');
    const verifier = await new Api(test).user('village_verifier', { regionCode: plain.village });
    for (const assessment of [{ quality: 'excellent' }, { note: '无评价等级' }, 'good']) {
      const refused = await expectNoWrites(test.dataSource, () =>
        http()
          .post(`/contracts/${id}/task-lines/wheat_harvest/villages/${plain.village}/verification`)
          .set(verifier.auth)
          .send({ assessment }),
      );
      expect({ status: refused.status, code: refused.body.code }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('without a policy: approvals work as today; a drawn sample applies once visited; no draw outside district audit', async () => {
    const [first, second] = plain.contractIds;
    await approve(first, {}, plain.agri).expect(200);
    await approve(first, {}, plain.approver).expect(200);
    const late = await expectNoWrites(test.dataSource, () => draw(first, plain.agri));
    expect({ status: late.status, code: late.body.code }).toEqual({
      status: 409,
      code: 'INVALID_TRANSITION',
    });
    const drawn = (await draw(second, plain.agri).expect(201)).body as Sample;
    expect(drawn.rows).toHaveLength(1); // 5 % of 10, at least 1
    const visitedShort = toHundredths(drawn.rows[0].verifiedAreaMu) - 1;
    await visit(
      drawn.id,
      {
        rowId: drawn.rows[0].rowId,
        visitedOn: '2015-07-10',
        method: 'phone',
        householdConfirms: false,
        observedAreaMu: mu(visitedShort),
        satisfaction: 'dissatisfied',
      },
      plain.agri,
    ).expect(201);
    const approved = await approve(second, {}, plain.agri).expect(200);
    const line = (approved.body.taskLines as { auditedAreaMu: string }[])[0];
    // 0.01 mu short on a sampled row of ≥ 4.00 mu is within 2 %: the accepted area less 0.01.
    expect(line.auditedAreaMu).toBe(mu(10_000 - 1));
  });

  it('two visits of one row at once: one stored, the other 409 ALREADY_VISITED; without the row lock and the unique key both would be stored', async () => {
    const id = world.contractIds[1];
    const sample = (await draw(id).expect(201)).body as Sample;
    const body = (rowId: string) => ({
      rowId,
      visitedOn: '2015-07-11',
      method: 'household',
      householdConfirms: true,
      observedAreaMu: '1.00',
    });
    const racing = (rowId: string, width = 2, sampleId = sample.id) =>
      Array.from({ length: width }, () => ({
        path: `/audit-samples/${sampleId}/visits`,
        body: body(rowId),
        headers: world.agri.auth,
      }));
    const answers = await race(test, racing(sample.rows[0].rowId));
    expect(tally(answers)).toEqual({ '201': 1, '409 ALREADY_VISITED': 1 });
    const stored = (rowId: string, sampleId = sample.id) =>
      count(
        'SELECT count(*)::int AS n FROM audit_visit WHERE sample_id = $1 AND register_row_id = $2',
        [sampleId, rowId],
      );
    expect(await stored(sample.rows[0].rowId)).toBe(1);

    // The negative control, made from the test side: an instance whose commands run without the
    // contract's row lock (an existing test-only weakening of the loop), and the database without
    // the visit's unique key. Then both visits of a row can be stored.
    await test.dataSource.query('ALTER TABLE audit_visit DROP CONSTRAINT audit_visit_row_key');
    const twin = await startWeakenedTwin(test, ['transition-lock']);
    try {
      let doubled = false;
      // Many at once, so that two of them read the row unvisited before either commits; every
      // sampled row left is a round (and the third contract's sample gives three more), until one
      // stores a visit twice.
      const other = (await draw(world.contractIds[2]).expect(201)).body as Sample;
      const rounds = [
        ...sample.rows.slice(1).map((row) => ({ rowId: row.rowId, sampleId: sample.id })),
        ...other.rows.map((row) => ({ rowId: row.rowId, sampleId: other.id })),
      ];
      for (const { rowId, sampleId } of rounds) {
        await race(twin, racing(rowId, 12, sampleId));
        if ((await stored(rowId, sampleId)) > 1) doubled = true;
        if (doubled) break;
      }
      expect(doubled).toBe(true);
    } finally {
      await twin.close();
    }
  });
});

/** A minimal JPEG whose EXIF says 2015:07:10 09:30:00 at 33.5° N, 115.75° E. */
function jpegWithExif(): Buffer {
  // TIFF, little endian: IFD0 → ExifIFD (DateTimeOriginal) and GPS IFD.
  const entries: Buffer[] = [];
  const u16 = (value: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(value);
    return b;
  };
  const u32 = (value: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    return b;
  };
  const entry = (tag: number, type: number, countValue: number, value: Buffer) =>
    Buffer.concat([u16(tag), u16(type), u32(countValue), value]);
  const rationals = (pairs: [number, number][]) =>
    Buffer.concat(pairs.flatMap(([n, d]) => [u32(n), u32(d)]));
  // Layout: header 8 | IFD0 (2 entries) at 8 | Exif IFD | GPS IFD | data.
  const ifd0At = 8;
  const ifd0Size = 2 + 2 * 12 + 4;
  const exifAt = ifd0At + ifd0Size;
  const exifSize = 2 + 1 * 12 + 4;
  const gpsAt = exifAt + exifSize;
  const gpsSize = 2 + 4 * 12 + 4;
  const dataAt = gpsAt + gpsSize;
  const date = Buffer.from('2015:07:10 09:30:00\0', 'latin1');
  const dateAt = dataAt;
  const latAt = dateAt + date.length;
  const lat = rationals([
    [33, 1],
    [30, 1],
    [0, 1],
  ]);
  const lonAt = latAt + lat.length;
  const lon = rationals([
    [115, 1],
    [45, 1],
    [0, 1],
  ]);
  entries.push(
    Buffer.from('II*\0', 'latin1'),
    u32(ifd0At),
    u16(2),
    entry(0x8769, 4, 1, u32(exifAt)),
    entry(0x8825, 4, 1, u32(gpsAt)),
    u32(0),
    u16(1),
    entry(0x9003, 2, date.length, u32(dateAt)),
    u32(0),
    u16(4),
    entry(0x0001, 2, 2, Buffer.from('N\0\0\0', 'latin1')),
    entry(0x0002, 5, 3, u32(latAt)),
    entry(0x0003, 2, 2, Buffer.from('E\0\0\0', 'latin1')),
    entry(0x0004, 5, 3, u32(lonAt)),
    u32(0),
    date,
    lat,
    lon,
  );
  const tiff = Buffer.concat(entries);
  const app1Body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), u16be(app1Body.length + 2), app1Body]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, Buffer.from([0xff, 0xd9])]);
}

function u16be(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}
