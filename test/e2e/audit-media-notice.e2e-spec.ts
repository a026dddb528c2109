import { Api } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { fetchPdfText } from '../support/pdf-text';
import { advanceClock } from '../support/lifecycle';
import { payableContracts, type PayableWorld } from '../support/payable';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Through HTTP (issue 16, "not there at all"): an audit rejection, and the media notice's clock
 * boundaries (quality.md, "notice clock boundaries … media notice too"): not cleared at
 * T + 7 d − 1 s, cleared at T + 7 d; an objection keeps it open past day 7 until it is
 * dismissed; an upheld objection sends the contract back to the district audit. The village
 * notice's own cases are in lifecycle.e2e-spec.ts.
 */
describe('district audit rejection and the media notice', () => {
  let test: TestApp;
  let world: PayableWorld;
  const http = () => test.http();

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    world = await payableContracts(test, new Api(test), 4, 4, { stopBeforeAudit: true });
  }, 180_000);
  afterAll(async () => {
    await test.close();
  });

  const contract = async (id: string) =>
    (await http().get(`/contracts/${id}`).set(world.agri.auth).expect(200)).body as {
      state: string;
      subsidyFen: number | null;
    };
  const approve = (id: string, session = world.agri) =>
    http().post(`/contracts/${id}/audit/approvals`).set(session.auth).send({});
  const history = async (id: string, event: string) =>
    (
      await test.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM contract_history WHERE contract_id = $1 AND event = $2',
        [id, event],
      )
    )[0].n;

  /** Both approvals, then the media notice: its id and its end. */
  async function openMediaNotice(id: string): Promise<{ noticeId: string; endsAt: number }> {
    await approve(id).expect(200);
    await approve(id, world.approver).expect(200);
    const opened = await http()
      .post(`/contracts/${id}/media-notice`)
      .set(world.agri.auth)
      .send({ mediaName: '《亳州晚报》', publishedOn: '2015-07-20' })
      .expect(200);
    expect(opened.body).toMatchObject({ state: 'mediaNotice' });
    return { noticeId: opened.body.noticeId, endsAt: Date.parse(opened.body.endsAt) };
  }

  /** Moves the app's clock to `at` (ms) exactly as the app sees it; returns its new now. */
  async function clockTo(at: number): Promise<number> {
    const { now } = await advanceClock(test, world.admin, { advanceHours: 0 });
    const { now: moved } = await advanceClock(test, world.admin, {
      advanceHours: (at - Date.parse(now)) / 3_600_000,
    });
    return Date.parse(moved);
  }

  it('an approval naming a task line twice is 400 VALIDATION_FAILED naming taskLines, and writes nothing', async () => {
    const id = world.contractIds[0];
    const { taskLines } = (await http().get(`/contracts/${id}`).set(world.agri.auth).expect(200))
      .body as { taskLines: { taskCode: string; acceptedAreaMu: string }[] };
    const [line] = taskLines;
    const response = await expectNoWrites(test.dataSource, () =>
      http()
        .post(`/contracts/${id}/audit/approvals`)
        .set(world.agri.auth)
        .send({
          taskLines: [
            { taskCode: line.taskCode, auditedAreaMu: line.acceptedAreaMu },
            { taskCode: line.taskCode, auditedAreaMu: '1.00' },
          ],
        }),
    );
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'taskLines', message: 'taskLines 各项不能重复' }],
    });
    expect(await history(id, 'audit.approved')).toBe(0);
  });

  it('an audit rejection resets the approvals: the same two approve again, in either order', async () => {
    const id = world.contractIds[0];
    await approve(id).expect(200);
    const noNote = await expectNoWrites(test.dataSource, () =>
      http().post(`/contracts/${id}/audit/reject`).set(world.approver.auth).send({}),
    );
    expect({ status: noNote.status, code: noNote.body.code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    const rejected = await http()
      .post(`/contracts/${id}/audit/reject`)
      .set(world.approver.auth)
      .send({ note: '面积核减依据不足' })
      .expect(200);
    expect(rejected.body).toMatchObject({ state: 'districtAudit', subsidyFen: null });
    expect(await history(id, 'audit.rejected')).toBe(1);
    const [audit] = await test.dataSource.query<{ note: string }[]>(
      `SELECT data->>'note' AS note FROM audit_event WHERE entity_id = $1 AND action = 'audit.rejected'`,
      [id],
    );
    expect(audit.note).toBe('面积核减依据不足');
    // Reset: the finance side approves first now, and the agriculture side again after it.
    await approve(id, world.approver).expect(200);
    const second = await approve(id).expect(200);
    expect(second.body).toMatchObject({
      state: 'audited',
      subsidyFen: world.subsidyFen.get(id),
    });
    const late = await expectNoWrites(test.dataSource, () =>
      http().post(`/contracts/${id}/audit/reject`).set(world.approver.auth).send({ note: '晚了' }),
    );
    expect({ status: late.status, code: late.body.code }).toEqual({
      status: 409,
      code: 'INVALID_TRANSITION',
    });
  });

  it('a media notice with no objection: not cleared at T + 7 d − 1 s, cleared at T + 7 d', async () => {
    const id = world.contractIds[1];
    const { endsAt } = await openMediaNotice(id);
    // The text for the newspaper, while the notice runs: how to object, no state. (Printed
    // before the clock is set a second short of the end: real time runs on during a print.)
    const pdf = `/contracts/${id}/documents/media-notice`;
    const running = await fetchPdfText(http, pdf, world.agri.auth);
    expect(running.status).toBe(200);
    expect(running.text).toContain('如有异议，请于公示期内向区农委书面反映');
    expect(running.text).not.toContain('公示状态');
    // The village notice elapsed earlier (its part and its task line): count from here.
    const elapsed = await history(id, 'notice.elapsed');
    const before = await clockTo(endsAt - 1000);
    expect(before).toBeLessThan(endsAt);
    expect((await contract(id)).state).toBe('mediaNotice');
    expect(await history(id, 'notice.elapsed')).toBe(elapsed);
    const at = await clockTo(endsAt);
    expect(at).toBeGreaterThanOrEqual(endsAt);
    expect((await contract(id)).state).toBe('payable');
    expect(await history(id, 'notice.elapsed')).toBe(elapsed + 1);
    // Printed after it cleared: its state and why, no invitation.
    const cleared = await fetchPdfText(http, pdf, world.agri.auth);
    expect(cleared.text).toContain(
      '公示状态：公示期满，已结束。公示期已满，且没有未处理的异议，公示结束，进入下一步（资金拨付）。',
    );
    expect(cleared.text).not.toContain('如有异议');
  });

  it('an objection keeps the media notice open past day 7; dismissed, the contract is payable at once', async () => {
    const id = world.contractIds[2];
    const { noticeId, endsAt } = await openMediaNotice(id);
    const filed = await http()
      .post(`/public/notices/${noticeId}/objections`)
      .send({ name: '赵六', phone: '13600000000', text: '补助面积偏大' })
      .expect(201);
    await clockTo(endsAt + 1000);
    expect((await contract(id)).state).toBe('mediaNotice');
    // A village verifier does not resolve a media notice's objection.
    const verifier = await new Api(test).user('village_verifier', { regionCode: world.village });
    const byVerifier = await expectNoWrites(test.dataSource, () =>
      http()
        .post(`/objections/${filed.body.id}/resolve`)
        .set(verifier.auth)
        .send({ outcome: 'dismissed', note: 'x' }),
    );
    expect({ status: byVerifier.status, code: byVerifier.body.code }).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    await http()
      .post(`/objections/${filed.body.id}/resolve`)
      .set(world.agri.auth)
      .send({ outcome: 'dismissed', note: '经核实面积无误' })
      .expect(200);
    expect((await contract(id)).state).toBe('payable');
  });

  it('an upheld objection on a media notice sends the contract back to the district audit', async () => {
    const id = world.contractIds[3];
    const { noticeId } = await openMediaNotice(id);
    const filed = await http()
      .post(`/public/notices/${noticeId}/objections`)
      .send({ name: '钱七', phone: '13500000000', text: '有地块未作业' })
      .expect(201);
    await http()
      .post(`/objections/${filed.body.id}/resolve`)
      .set(world.agri.auth)
      .send({ outcome: 'upheld', note: '退回重新审核' })
      .expect(200);
    expect(await contract(id)).toMatchObject({ state: 'districtAudit', subsidyFen: null });
    const closed = await expectNoWrites(test.dataSource, () =>
      http()
        .post(`/public/notices/${noticeId}/objections`)
        .send({ name: '孙八', phone: '13400000000', text: '再提一条' }),
    );
    expect({ status: closed.status, code: closed.body.code }).toEqual({
      status: 409,
      code: 'NOTICE_CLOSED',
    });
    // Audited again by both bureaus, a new media notice runs.
    const { noticeId: again } = await openMediaNotice(id);
    expect(again).not.toBe(noticeId);
  });
});
