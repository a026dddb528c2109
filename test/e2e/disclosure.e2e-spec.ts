import { Api, type Session } from '../support/api';
import { fetchPdfText } from '../support/pdf-text';
import { DOCUMENT_KINDS, documentPath, recordPastSeason, type PastSeason } from '../support/season';
import { createTestApp, type TestApp } from '../support/test-app';

type Viewer =
  | 'admin'
  | 'agri'
  | 'finance'
  | 'otherFinance'
  | 'observer'
  | 'coop'
  | 'otherCoop'
  | 'verifier'
  | 'acceptor'
  | 'public';

/**
 * The policy, written out here on its own (not imported), so that a change to the code's table
 * is caught too: who may read each kind of number in full. Everybody else gets it masked, on
 * every channel: JSON, PDF, export, and the public routes.
 */
const IN_FULL: Record<'bankAccount' | 'residentId' | 'phone', Viewer[]> = {
  // The finance bureau of the district the organisation is paid in; not another district's.
  bankAccount: ['admin', 'finance', 'coop'],
  residentId: [],
  // The season's objection is on a village notice: its village's verifier resolves it; the
  // district's committee (which resolves media notices' objections) sees it masked.
  phone: ['verifier'],
};

/**
 * Every role × every document kind × every response that carries a bank account, a resident ID
 * number or an objector's phone: no full number where the policy says masked.
 */
describe('one disclosure policy for JSON, PDFs, exports and public routes', () => {
  let test: TestApp;
  let season: PastSeason;
  let viewers: Record<Viewer, Session | null>;

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    season = await recordPastSeason(test, new Api(test), 2021);
    const s = season.sessions;
    const api = new Api(test);
    const elsewhere = await api.regionTree(1);
    viewers = {
      otherFinance: await api.user('district_finance', { regionCode: elsewhere.district }),
      admin: s.admin,
      agri: s.agri,
      finance: s.payer,
      observer: s.observer,
      coop: s.coop,
      otherCoop: s.otherCoop,
      verifier: s.verifier,
      acceptor: s.acceptors[0],
      public: null,
    };
  }, 180_000);
  afterAll(async () => {
    await test.close();
  });

  const jsonRoutes = (): string[] => [
    `/organisations/${season.organisationId}`,
    '/organisations?limit=200',
    '/payouts',
    `/payouts/${season.payoutId}`,
    '/payouts/export?state=confirmed&format=csv',
    `/objections?noticeId=${season.noticeId}`,
    `/contracts/${season.contractId}/register`,
    `/contracts/${season.contractId}/calculation`,
    `/contracts/${season.contractId}/history`,
    `/public/notices/${season.noticeId}`,
    `/public/notices/${season.mediaNoticeId}`,
  ];

  /** What `viewer` gets from every route and document that answers it 200, as text. */
  async function everything(viewer: Viewer): Promise<{ route: string; text: string }[]> {
    const session = viewers[viewer];
    const auth: Record<string, string> = session ? session.auth : {};
    const seen: { route: string; text: string }[] = [];
    for (const route of jsonRoutes()) {
      const response = await test.http().get(route).set(auth);
      if (response.status === 200) seen.push({ route, text: response.text });
      else expect([401, 403, 404]).toContain(response.status);
    }
    for (const kind of DOCUMENT_KINDS) {
      const route = documentPath(season, kind);
      const { status, text } = await fetchPdfText(test.http, route, auth);
      if (status === 200) seen.push({ route, text });
      else expect([401, 403, 404]).toContain(status);
    }
    return seen;
  }

  it.each([
    'admin',
    'agri',
    'finance',
    'otherFinance',
    'observer',
    'coop',
    'otherCoop',
    'verifier',
    'acceptor',
    'public',
  ] as Viewer[])('%s sees in full only what the policy allows', async (viewer) => {
    const seen = await everything(viewer);
    expect(seen.length).toBeGreaterThan(0);
    const leaks: string[] = [];
    const fullIn = (value: string) => seen.filter(({ text }) => text.includes(value));
    if (!IN_FULL.bankAccount.includes(viewer))
      leaks.push(...fullIn(season.bankAccountNo).map(({ route }) => `bank account in ${route}`));
    for (const id of season.residentIds)
      leaks.push(...fullIn(id).map(({ route }) => `resident ID in ${route}`));
    if (!IN_FULL.phone.includes(viewer))
      leaks.push(...fullIn(season.objectorPhone).map(({ route }) => `phone in ${route}`));
    expect(leaks).toEqual([]);

    // The masked forms are there: the test looks where the numbers are.
    const all = seen.map(({ text }) => text).join('\n');
    if (IN_FULL.bankAccount.includes(viewer)) expect(all).toContain(season.bankAccountNo);
    else if (viewer !== 'public' && viewer !== 'otherCoop')
      expect(all).toContain(`************${season.bankAccountNo.slice(-4)}`);
    expect(all).toContain(
      `${season.residentIds[0].slice(0, 6)}********${season.residentIds[0].slice(-4)}`,
    );
    if (IN_FULL.phone.includes(viewer)) expect(all).toContain(season.objectorPhone);
    if (viewer === 'agri') expect(all).toContain('139****5678');
  });
});
