import type { Actor } from '../../src/modules/auth/actor';
import { ActorLoader } from '../../src/modules/auth/actor.loader';
import { RegisterService } from '../../src/modules/field-work/register.service';
import { registerRows } from '../factories/register-rows';
import type { Session } from './api';
import type { TestApp } from './test-app';

export async function actorOf(test: TestApp, session: Session): Promise<Actor> {
  const actor = await test.app.get(ActorLoader).load(session.userId);
  if (!actor) throw new Error(`no actor ${session.username}`);
  return actor;
}

/** The minimal internal command of the register: stores rows (the first start the work). */
export async function addRows(
  test: TestApp,
  session: Session,
  contractId: string,
  villageCode: string,
  taskCode: string,
  areas: number[],
): Promise<{ id: string; area: number; rowNo: number }[]> {
  const rows = await test.app
    .get(RegisterService)
    .addRows(await actorOf(test, session), contractId, registerRows(villageCode, taskCode, areas));
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
