import type { Actor } from '../../src/modules/auth/actor';
import { ActorLoader } from '../../src/modules/auth/actor.loader';
import { registerRows, storeRegisterRows } from '../factories/register-rows';
import type { Api, Session } from './api';
import { VerificationService } from '../../src/modules/notices/verification.service';
import { awardQiaocheng, buildQiaocheng, type Qiaocheng } from './qiaocheng';
import { openedTender } from './open-tender';
import type { TestApp } from './test-app';

export async function actorOf(test: TestApp, session: Session): Promise<Actor> {
  const actor = await test.app.get(ActorLoader).load(session.userId);
  if (!actor) throw new Error(`no actor ${session.username}`);
  return actor;
}

/** Stores valid register rows (a test builder; the first rows start the work). */
export async function addRows(
  test: TestApp,
  session: Session,
  contractId: string,
  villageCode: string,
  taskCode: string,
  areas: number[],
): Promise<{ id: string; area: number; rowNo: number }[]> {
  const rows = await storeRegisterRows(
    test.app,
    await actorOf(test, session),
    contractId,
    registerRows(villageCode, taskCode, areas),
  );
  return rows.map((row) => ({ id: row.id, area: row.area, rowNo: row.rowNo }));
}

export async function advanceClock(
  test: TestApp,
  admin: Session,
  body: { advanceDays?: number; advanceHours?: number },
): Promise<{ now: string; fired: number }> {
  const response = await test.http().post('/__test__/clock').set(admin.auth).send(body).expect(200);
  return response.body as { now: string; fired: number };
}

/** The three papers a claim needs, uploaded as the cooperative. */
export async function uploadClaimAttachments(
  test: TestApp,
  session: Session,
  contractId: string,
): Promise<void> {
  for (const kind of ['legal_person_certificate', 'contract_scan', 'register_scan']) {
    await test
      .http()
      .post(`/contracts/${contractId}/attachments`)
      .set(session.auth)
      .field('kind', kind)
      .attach('file', Buffer.from(`%PDF-1.4 ${kind} of ${contractId}`), `${kind}.pdf`)
      .expect(201);
  }
}

/**
 * The first Qiaocheng contract taken to a running village notice on its wheat harvest: signed,
 * papers uploaded, two register rows (10.00 + 20.00 mu), claimed and verified.
 */
export async function toRunningNotice(
  test: TestApp,
  api: Api,
): Promise<{ q: Qiaocheng; id: string; village: string; verifier: Session; noticeId: string }> {
  const q = await buildQiaocheng(api);
  const { contractIds } = await awardQiaocheng(api, q);
  const id = contractIds[0];
  const village = q.villages[0].code;
  const verifier = await api.user('village_verifier', { regionCode: village });
  await test
    .http()
    .post(`/contracts/${id}/sign`)
    .set(q.agri.auth)
    .send({ contractNo: 'R-1', signedOn: '2015-06-01' })
    .expect(200);
  await uploadClaimAttachments(test, q.coops[0], id);
  await addRows(test, q.coops[0], id, village, 'wheat_harvest', [1000, 2000]);
  await test
    .http()
    .post(`/contracts/${id}/task-lines/wheat_harvest/claim`)
    .set(q.coops[0].auth)
    .expect(200);
  const verified = await test
    .http()
    .post(`/contracts/${id}/task-lines/wheat_harvest/villages/${village}/verification`)
    .set(verifier.auth)
    .send({})
    .expect(200);
  return { q, id, village, verifier, noticeId: verified.body.noticeId as string };
}

/**
 * One contract whose single task line covers `villageCount` villages, claimed and verified
 * village by village: `villageCount` running notices, each with its timer (due in 7 days).
 */
export async function contractWithRunningNotices(
  test: TestApp,
  api: Api,
  villageCount: number,
): Promise<string> {
  const tree = await api.regionTree(villageCount);
  const agri = await api.user('district_agri', { regionCode: tree.district });
  const organisation = await api.organisation();
  const coop: Session = await api.user('cooperative', { organisationId: organisation.id });
  const tender = await openedTender(test, {
    agri,
    coop,
    districtCode: tree.district,
    villageCodes: tree.villages,
    code: `MANY-${villageCount}-${Date.now()}`,
    name: `${villageCount}村`,
    year: 2015,
    serviceStart: '2015-06-01',
    serviceEnd: '2015-06-30',
    publishedIn: '报',
    publishedOn: '2015-05-01',
    openingOn: '2015-05-02',
    task: { code: 'harvest', name: '小麦机收', areaMu: 1000 },
    unitPriceYuan: 10,
  });
  const award = await tender
    .award({ workDeadline: '2015-06-30', awardedOn: '2015-05-03' })
    .expect(201);
  const contractId = award.body.contractId as string;
  await test
    .http()
    .post(`/contracts/${contractId}/sign`)
    .set(agri.auth)
    .send({ contractNo: 'M-1', signedOn: '2015-05-04' })
    .expect(200);
  for (const village of tree.villages)
    await addRows(test, coop, contractId, village, 'harvest', [100]);
  await uploadClaimAttachments(test, coop, contractId);
  await test
    .http()
    .post(`/contracts/${contractId}/task-lines/harvest/claim`)
    .set(coop.auth)
    .expect(200);
  const admin = await actorOf(test, await api.admin());
  for (const village of tree.villages) {
    await test.app.get(VerificationService).verify(admin, contractId, 'harvest', village, {});
  }
  return contractId;
}
