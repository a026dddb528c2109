/**
 * The desk's forms without a browser (issue 25): each form's refusals shown by its field at the
 * REST route's status with nothing written — the cooperative's register, attachment and claim,
 * the town group's record, signature and rework, the village's objection — and each success
 * applied once.
 */
import { residentId } from '../factories/register-rows';
import { Api, type Session } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { advanceClock } from '../support/lifecycle';
import { openedTender } from '../support/open-tender';
import { createTestApp, type TestApp } from '../support/test-app';

const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];

describe('the desk’s forms: error paths and single application', () => {
  let test: TestApp;
  let api: Api;
  const http = () => test.http();

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    api = new Api(test);
  });
  afterAll(async () => {
    await test?.close();
  });

  async function deskCookie(session: Session): Promise<string> {
    const form = await http().get('/desk/login').expect(200);
    const nonce = ([] as string[]).concat(form.headers['set-cookie'] ?? [])[0].split(';')[0];
    const response = await http()
      .post('/desk/login')
      .set('Cookie', nonce)
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        username: session.username,
        password: `pw-${session.username}-secret`,
      })
      .expect(303);
    return ([] as string[])
      .concat(response.headers['set-cookie'] ?? [])
      .find((line) => line.startsWith('desk_session='))!
      .split(';')[0];
  }

  it('cooperative, village and town forms', async () => {
    const admin = await api.admin();
    const tree = await api.regionTree(1);
    const village = tree.villages[0];
    const agri = await api.user('district_agri', { regionCode: tree.district });
    const coop = await api.user('cooperative', { organisationId: (await api.organisation()).id });
    const verifier = await api.user('village_verifier', { regionCode: village });
    const station = await api.user('town_acceptor', {
      regionCode: tree.town,
      acceptanceRole: 'station_head',
    });
    const tender = await openedTender(test, {
      agri,
      coop,
      districtCode: tree.district,
      villageCodes: [village],
      code: `DESK-F-${tree.district}`,
      name: '表单测试',
      year: 2015,
      serviceStart: '2015-06-01',
      serviceEnd: '2015-06-30',
      publishedIn: '报',
      publishedOn: '2015-05-01',
      openingOn: '2015-05-02',
      task: { code: 'wheat_harvest', name: '小麦机收', areaMu: 100 },
      unitPriceYuan: '60.00',
    });
    const id = (await tender.award({ workDeadline: '2015-06-30', awardedOn: '2015-05-03' })).body
      .contractId as string;
    await http()
      .post(`/contracts/${id}/sign`)
      .set(agri.auth)
      .send({ contractNo: 'F-1', signedOn: '2015-05-04' })
      .expect(200);
    const page = `/desk/contracts/${id}`;

    // Cooperative: the register, a file that is not a register, an attachment without a file,
    // a claim without papers.
    const coopCookie = await deskCookie(coop);
    const coopPage = await http().get(page).set('Cookie', coopCookie).expect(200);
    const csrf = csrfOf(coopPage.text);
    expect(coopPage.text).toContain(`action="/desk/contracts/${id}/register?_csrf=`);
    const upload = (path: string, token = csrf) =>
      http()
        .post(`${page}/${path}?_csrf=${encodeURIComponent(token)}`)
        .set('Cookie', coopCookie);
    await expectNoWrites(test.dataSource, () =>
      upload('register', 'forged').attach('file', Buffer.from('x'), 'r.csv').expect(403),
    );
    const noFile = await expectNoWrites(test.dataSource, () =>
      upload('register').field('note', 'x').expect(400),
    );
    expect(noFile.text).toContain('id="register-file-error"');
    const notRegister = await expectNoWrites(test.dataSource, () =>
      upload('register').attach('file', Buffer.from('a,b\n1,2\n'), 'r.csv').expect(400),
    );
    expect(notRegister.text).toContain('清册文件无法读取');
    const row = `${village},王秀英,${residentId()},PF-1,wheat_harvest,10.00,2015-06-10,皖S-1,刘机手,周镇干部,吴村干部,刘机手,1`;
    const csv = `villageCode,householdName,householdIdNo,plotCode,taskCode,areaMu,workDate,machineNo,operatorName,townCadreSigned,villageCadreSigned,operatorSigned,farmerSigned\n${row}\n`;
    const imported = await upload('register').attach('file', Buffer.from(csv), 'r.csv').expect(200);
    expect(imported.text).toContain('已导入 1 行');
    // The same file again (a refresh): its row is a duplicate now, nothing stored twice.
    const twice = await upload('register').attach('file', Buffer.from(csv), 'r.csv').expect(200);
    expect(twice.text).toContain('已导入 0 行');
    expect(twice.text).toContain('该地块的这个环节已经登记过');

    const noAttachment = await expectNoWrites(test.dataSource, () =>
      upload('attachments').field('kind', 'contract_scan').expect(400),
    );
    expect(noAttachment.text).toContain('id="attachment-file-error"');
    const badKind = await expectNoWrites(test.dataSource, () =>
      upload('attachments')
        .field('kind', 'selfie')
        .attach('file', Buffer.from('%PDF'), 'a.pdf')
        .expect(400),
    );
    expect(badKind.text).toContain('id="attachment-kind-error"');

    const claim = () =>
      http()
        .post(`${page}/task-lines/wheat_harvest/claim`)
        .set('Cookie', coopCookie)
        .type('form')
        .send({ _csrf: csrf });
    const incomplete = await expectNoWrites(test.dataSource, () => claim().expect(409));
    expect(incomplete.text).toContain('申报前需要至少一条清册记录');
    for (const kind of ['legal_person_certificate', 'contract_scan', 'register_scan']) {
      const done = await upload('attachments')
        .field('kind', kind)
        .attach('file', Buffer.from(`%PDF-1.4 ${kind}`), `${kind}.pdf`)
        .expect(303);
      expect(done.headers.location).toBe(`${page}?done=attachment`);
    }
    await claim().expect(303);
    await expectNoWrites(test.dataSource, () => claim().expect(409)); // a second tap

    // Village: verify as claimed, an objection, its resolution needs a note; resolved once.
    const verifierCookie = await deskCookie(verifier);
    const verifierPage = await http().get(page).set('Cookie', verifierCookie).expect(200);
    const vCsrf = csrfOf(verifierPage.text);
    const verified = await http()
      .post(`${page}/task-lines/wheat_harvest/villages/${village}/verification`)
      .set('Cookie', verifierCookie)
      .type('form')
      .send({ _csrf: vCsrf })
      .expect(303);
    expect(verified.headers.location).toBe(`${page}?done=verify`);
    const noticeId = (await http().get(`/contracts/${id}`).set(verifier.auth).expect(200)).body
      .taskLines[0].villageParts[0].noticeId as string;
    const objection = await http()
      .post(`/public/notices/${noticeId}/objections`)
      .send({ name: '张三', phone: '13800000000', text: '面积不对' })
      .expect(201);
    const withObjection = await http().get(page).set('Cookie', verifierCookie).expect(200);
    expect(withObjection.text).toContain(`id="objection-${objection.body.id}"`);
    const resolve = (note: string) =>
      http()
        .post(`${page}/objections/${objection.body.id}/resolve`)
        .set('Cookie', verifierCookie)
        .type('form')
        .send({ _csrf: vCsrf, outcome: 'dismissed', note });
    const noNote = await expectNoWrites(test.dataSource, () => resolve('').expect(400));
    expect(noNote.text).toContain(`id="objection-${objection.body.id}-note-error"`);
    await resolve('已核实').expect(303);
    await expectNoWrites(test.dataSource, () => resolve('已核实').expect(409));

    // Town: an accepted area above the verified one, then the record; sign once; rework.
    await advanceClock(test, admin, { advanceDays: 7 });
    const townCookie = await deskCookie(station);
    const townPage = await http().get(page).set('Cookie', townCookie).expect(200);
    const tCsrf = csrfOf(townPage.text);
    expect(townPage.text).toContain('发起验收</button>');
    const open = (area: string) =>
      http()
        .post(`${page}/task-lines/wheat_harvest/acceptance`)
        .set('Cookie', townCookie)
        .type('form')
        .send({ _csrf: tCsrf, villageCode: village, acceptedAreaMu: area, note: '' });
    const above = await expectNoWrites(test.dataSource, () => open('12.00').expect(400));
    expect(above.text).toContain(`id="open-wheat_harvest-village-0-error"`);
    expect(above.text).toContain('面积不能超过上一环节的面积');
    expect(above.text).toContain('value="12.00"');
    await open('10.00').expect(303);
    await expectNoWrites(test.dataSource, () => open('10.00').expect(409));
    const signPage = await http().get(page).set('Cookie', townCookie).expect(200);
    const recordId = /acceptance-records\/([0-9a-f-]{36})\/signatures/.exec(signPage.text)![1];
    const sign = (decision: string) =>
      http()
        .post(`${page}/acceptance-records/${recordId}/signatures`)
        .set('Cookie', townCookie)
        .type('form')
        .send({ _csrf: tCsrf, decision, note: '' });
    await expectNoWrites(test.dataSource, () => sign('maybe').expect(400));
    await sign('pass').expect(303);
    const again = await expectNoWrites(test.dataSource, () => sign('pass').expect(409));
    expect(again.text).toContain('您已经在这份验收记录上签过字');
    const revise = (area: string) =>
      http()
        .post(`${page}/acceptance-records/${recordId}/revise`)
        .set('Cookie', townCookie)
        .type('form')
        .send({ _csrf: tCsrf, villageCode: village, acceptedAreaMu: area, note: '复核后修改' });
    const reviseAbove = await expectNoWrites(test.dataSource, () => revise('10.50').expect(400));
    expect(reviseAbove.text).toContain(`id="revise-${recordId}-village-0-error"`);
    expect((await revise('9.50').expect(303)).headers.location).toBe(`${page}?done=revise`);
    await expectNoWrites(test.dataSource, () => revise('9.50').expect(409)); // superseded now
    const revised = await http().get(page).set('Cookie', townCookie).expect(200);
    expect(revised.text).toContain('第 2 版');
    const rework = (note: string) =>
      http()
        .post(`${page}/task-lines/wheat_harvest/rework`)
        .set('Cookie', townCookie)
        .type('form')
        .send({ _csrf: tCsrf, note });
    const noReason = await expectNoWrites(test.dataSource, () => rework('').expect(400));
    expect(noReason.text).toContain('id="rework-wheat_harvest-note-error"');
    await rework('地块 PF-1 漏收').expect(303);
    await expectNoWrites(test.dataSource, () => rework('地块 PF-1 漏收').expect(409));
    const line = (await http().get(`/contracts/${id}`).set(coop.auth).expect(200)).body
      .taskLines[0];
    expect(line.state).toBe('working');
  });
});
