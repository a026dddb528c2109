import type { Role } from '../../src/modules/auth/roles';
import type { Api, Session } from './api';
import { recordPastSeason, type PastSeason } from './season';
import type { TestApp } from './test-app';

/**
 * One scope's objects and its people: a past season recorded through HTTP (its payout issued,
 * not confirmed) plus a payment batch holding that payout and one issued document. Two of them,
 * in two districts, give every role an object of its own scope and one of another's.
 */
export interface Scope {
  season: PastSeason;
  /** One session per role, bound to this scope (the district's finance official is the payer). */
  as: Record<Role, Session>;
  tenderId: string;
  rowId: string;
  acceptanceRecordId: string;
  batchId: string;
  documentSha256: string;
  userId: string;
  /**
   * A user nobody logs in as: the fuzz's target for the account routes (a deactivation or a
   * password reset ends the sessions of the user it names, so never one of `as`).
   */
  spareUserId: string;
}

export async function buildScope(test: TestApp, api: Api, year: number): Promise<Scope> {
  const season = await recordPastSeason(test, api, year, { paid: false });
  const s = season.sessions;
  const as: Record<Role, Session> = {
    admin: s.admin,
    cooperative: s.coop,
    village_verifier: s.verifier,
    town_acceptor: s.acceptors[3],
    district_agri: s.agri,
    district_finance: s.payer,
    observer: s.observer,
  };
  const http = () => test.http();
  const tenders = await http()
    .get(`/projects/${season.projectId}/tenders`)
    .set(s.agri.auth)
    .expect(200);
  const rows = await http()
    .get(`/contracts/${season.contractId}/register`)
    .set(s.agri.auth)
    .expect(200);
  const [record] = await test.dataSource.query<{ id: string }[]>(
    'SELECT id FROM acceptance_record WHERE contract_id = $1',
    [season.contractId],
  );
  const batch = await http().post('/payment-batches').set(s.payer.auth).send({}).expect(201);
  const document = await http()
    .get(`/contracts/${season.contractId}/documents/award-notice`)
    .set(s.agri.auth)
    .expect(200);
  return {
    season,
    as,
    tenderId: tenders.body.items[0].id as string,
    rowId: rows.body.items[0].id as string,
    acceptanceRecordId: record.id,
    batchId: batch.body.id as string,
    documentSha256: document.headers['x-document-sha256'],
    userId: s.agri.userId,
    spareUserId: (await api.user('observer', { regionCode: season.district })).userId,
  };
}
