/**
 * The contract page's documents (文书): every document the contract has now is linked — the
 * village notice a village prints and posts, each task's acceptance form, the audit sheet, the
 * payout order — and only those. A link opens the same issue as the REST route, recorded, so the
 * digest in its footer verifies at /public/documents/:sha256. On the demo data, whose contracts
 * stand at every stage.
 */
import { DOCUMENT_KINDS } from '../../src/modules/documents/document-kind';
import { Api, type Session } from '../support/api';
import { createTestApp, type TestApp } from '../support/test-app';

const PASSWORD = 'Demo-2014';

const csrfOf = (html: string): string => {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no form token on the page');
  return match[1];
};
const cookieOf = (setCookie: string[] | string | undefined, name: string): string =>
  ([] as string[])
    .concat(setCookie ?? [])
    .find((line) => line.startsWith(`${name}=`))!
    .split(';')[0];

interface ContractItem {
  id: string;
  state: string;
  villageCodes: string[];
  taskLines: { taskCode: string }[];
}

/** The links of the page's 文书 list: `kind?query` → label. */
function documentLinks(html: string, contractId: string): Map<string, string> {
  const section = html.split('<h2>文书</h2>')[1] ?? '';
  const links = new Map<string, string>();
  const prefix = `/desk/contracts/${contractId}/documents/`;
  for (const match of section.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)) {
    const href = match[1].replace(/&amp;/g, '&');
    expect(href.startsWith(prefix)).toBe(true);
    links.set(href.slice(prefix.length), match[2]);
  }
  return links;
}

describe('the documents on the desk contract page', () => {
  let test: TestApp;
  let agri: Session;
  let contracts: ContractItem[];
  const http = () => test.http();

  async function deskCookie(username: string): Promise<string> {
    const form = await http().get('/desk/login').expect(200);
    const nonce = cookieOf(form.headers['set-cookie'], 'desk_nonce');
    const response = await http()
      .post('/desk/login')
      .set('Cookie', nonce)
      .type('form')
      .send({ _csrf: csrfOf(form.text), username, password: PASSWORD })
      .expect(303);
    return cookieOf(response.headers['set-cookie'], 'desk_session');
  }

  const pdfOf = (request: ReturnType<ReturnType<TestApp['http']>['get']>) =>
    request.buffer(true).parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });

  beforeAll(async () => {
    test = await createTestApp({ seedDemo: true });
    agri = await new Api(test).login('agri', PASSWORD);
    contracts = (await http().get('/contracts?limit=100').set(agri.auth).expect(200)).body.items;
  });
  afterAll(async () => {
    await test?.close();
  });

  it('links every document a contract has and no other; each opens as a recorded, verifiable issue', async () => {
    const cookie = await deskCookie('agri');
    const kindsSeen = new Set<string>();
    const kindsMissing = new Set<string>();
    for (const contract of contracts) {
      const page = await http().get(`/desk/contracts/${contract.id}`).set('Cookie', cookie);
      expect(page.status).toBe(200);
      const links = documentLinks(page.text, contract.id);

      // Every document the REST route would give, asked one by one: listed exactly when it opens.
      const tasks = contract.taskLines.map((line) => line.taskCode);
      const candidates = [
        ...DOCUMENT_KINDS.filter((kind) => !['village-notice', 'acceptance'].includes(kind)),
        ...tasks.flatMap((task) =>
          contract.villageCodes.map(
            (villageCode) => `village-notice?taskCode=${task}&villageCode=${villageCode}`,
          ),
        ),
        ...tasks.map((task) => `acceptance?taskCode=${task}`),
      ];
      for (const candidate of candidates) {
        const rest = await http()
          .get(`/contracts/${contract.id}/documents/${candidate}`)
          .set(agri.auth);
        const kind = candidate.split('?')[0];
        if (rest.status === 200) {
          expect([candidate, links.has(candidate)]).toEqual([candidate, true]);
          kindsSeen.add(kind);
        } else {
          expect([candidate, rest.status, rest.body.code]).toEqual([
            candidate,
            409,
            'DOCUMENT_NOT_AVAILABLE',
          ]);
          expect([candidate, links.has(candidate)]).toEqual([candidate, false]);
          kindsMissing.add(kind);
        }
      }
      expect(links.size).toBe(candidates.filter((candidate) => links.has(candidate)).length);

      // Each link is the REST route's issue: a PDF whose digest the public check knows.
      for (const link of links.keys()) {
        const response = await pdfOf(
          http().get(`/desk/contracts/${contract.id}/documents/${link}`).set('Cookie', cookie),
        ).expect(200);
        expect(response.headers['content-type']).toBe('application/pdf');
        expect(response.headers['cache-control']).toBe('no-store');
        expect((response.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
        const sha256 = response.headers['x-document-sha256'];
        const check = await http().get(`/public/documents/${sha256}`).expect(200);
        expect(check.body).toMatchObject({
          issued: true,
          kind: link.split('?')[0],
          contractId: contract.id,
        });
        const rest = await pdfOf(
          http().get(`/contracts/${contract.id}/documents/${link}`).set(agri.auth),
        ).expect(200);
        expect(rest.headers['x-document-sha256']).toBe(sha256);
      }
    }
    // The demo's contracts stand at every stage: every kind was listed somewhere, and the later
    // ones were left out somewhere.
    expect([...kindsSeen].sort()).toEqual([...DOCUMENT_KINDS].sort());
    expect(kindsMissing).toEqual(
      new Set([
        'application',
        'village-notice',
        'acceptance',
        'audit',
        'media-notice',
        'payout-order',
      ]),
    );
  });

  it('names the task and village of a village notice and the task of an acceptance form, for a village verifier too', async () => {
    const cookie = await deskCookie('wangge');
    const paid = contracts.find((contract) => contract.state === 'paid')!;
    const page = await http().get(`/desk/contracts/${paid.id}`).set('Cookie', cookie).expect(200);
    const links = documentLinks(page.text, paid.id);
    expect(links.get('village-notice?taskCode=wheat_harvest&villageCode=341602104201')).toBe(
      '公示：小麦机收 · 王各村（PDF）',
    );
    expect(links.get('acceptance?taskCode=wheat_harvest')).toBe('验收表：小麦机收（PDF）');
    expect(links.get('award-notice')).toBe('中标通知书（PDF）');
  });

  it('answers a document query it cannot take with 400 and a page, and an unknown kind with 404', async () => {
    const cookie = await deskCookie('agri');
    const paid = contracts.find((contract) => contract.state === 'paid')!;
    const long = await http()
      .get(`/desk/contracts/${paid.id}/documents/acceptance?taskCode=${'x'.repeat(21)}`)
      .set('Cookie', cookie);
    expect(long.status).toBe(400);
    expect(long.headers['content-type']).toMatch(/^text\/html/);
    const unknown = await http()
      .get(`/desk/contracts/${paid.id}/documents/receipt`)
      .set('Cookie', cookie);
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^text\/html/);
  });
});
