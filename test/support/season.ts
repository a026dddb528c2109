import { REGISTER_COLUMNS } from '../../src/modules/field-work/register-file';
import { DOCUMENT_KINDS } from '../../src/modules/documents/documents.service';
import type { RegisterRowInput } from '../../src/modules/field-work/register.service';
import { registerRows } from '../factories/register-rows';
import type { Api, Session } from './api';
import { advanceClock, uploadClaimAttachments } from './lifecycle';
import { openedTender } from './open-tender';
import type { TestApp } from './test-app';

/** Every document kind the app issues (a new kind is walked too), and where to get it. */
export { DOCUMENT_KINDS };

export function documentPath(season: PastSeason, kind: string): string {
  const query =
    kind === 'village-notice'
      ? `?taskCode=wheat_harvest&villageCode=${season.village}`
      : kind === 'acceptance'
        ? '?taskCode=wheat_harvest'
        : '';
  return `/contracts/${season.contractId}/documents/${kind}${query}`;
}

export interface PastSeason {
  year: number;
  district: string;
  town: string;
  village: string;
  projectId: string;
  contractId: string;
  noticeId: string;
  mediaNoticeId: string;
  /** The district audit's sample, and the visit of its first row. */
  auditSampleId: string;
  auditVisitId: string;
  objectionId: string;
  payoutId: string;
  organisationId: string;
  /** The values a disclosure policy guards, in full. */
  bankAccountNo: string;
  residentIds: string[];
  objectorPhone: string;
  sessions: {
    admin: Session;
    agri: Session;
    finance: Session;
    payer: Session;
    observer: Session;
    coop: Session;
    otherCoop: Session;
    verifier: Session;
    acceptors: Session[];
  };
}

const REGISTER_HEADER = REGISTER_COLUMNS.join(',');

/** Register rows as the CSV file a cooperative uploads (English header, areas in mu). */
export function registerCsv(rows: RegisterRowInput[]): string {
  return [
    REGISTER_HEADER,
    ...rows.map((row) =>
      REGISTER_COLUMNS.map((column) =>
        column === 'areaMu' ? (row.area / 100).toFixed(2) : String(row[column]),
      ).join(','),
    ),
  ].join('\n');
}

/**
 * A whole season of `year` recorded today through HTTP, the way a county enters last season's
 * records after the fact: every client date is in `year`, while the app's clock is today's.
 * One contract, one task (wheat harvest), one village; an objection filed and dismissed; the
 * audit sent back once, then approved, with notes; the payout issued and, unless `paid` is false, confirmed.
 */
export async function recordPastSeason(
  test: TestApp,
  api: Api,
  year: number,
  { paid = true }: { paid?: boolean } = {},
): Promise<PastSeason> {
  const http = () => test.http();
  const admin = await api.admin();
  const tree = await api.regionTree(1);
  const village = tree.villages[0];
  const agri = await api.user('district_agri', { regionCode: tree.district });
  const finance = await api.user('district_finance', { regionCode: tree.district });
  const payer = await api.user('district_finance', { regionCode: tree.district });
  const observer = await api.user('observer', { regionCode: tree.district });
  const organisation = await api.organisation();
  const bankAccountNo = (
    await http().get(`/organisations/${organisation.id}`).set(admin.auth).expect(200)
  ).body.bankAccountNo as string;
  const coop = await api.user('cooperative', { organisationId: organisation.id });
  const otherCoop = await api.user('cooperative', {
    organisationId: (await api.organisation()).id,
  });
  const verifier = await api.user('village_verifier', { regionCode: village });
  const acceptors: Session[] = [];
  for (const acceptanceRole of [
    'technical_guidance',
    'technical_guidance',
    'township_leader',
    'station_head',
    'farmer_supervisor',
  ] as const) {
    acceptors.push(await api.user('town_acceptor', { regionCode: tree.town, acceptanceRole }));
  }

  const tender = await openedTender(test, {
    agri,
    coop,
    districtCode: tree.district,
    villageCodes: [village],
    code: `PAST-${year}-${tree.district}`,
    name: `${year}年农业生产社会化服务项目`,
    year,
    serviceStart: `${year}-05-20`,
    serviceEnd: `${year}-07-31`,
    publishedIn: '《亳州晚报》',
    publishedOn: `${year}-05-10`,
    openingOn: `${year}-05-18`,
    task: { code: 'wheat_harvest', name: '小麦机收', areaMu: 100 },
    unitPriceYuan: '63.67',
  });
  const award = await tender
    .award({ workDeadline: `${year}-06-30`, awardedOn: `${year}-05-20` })
    .expect(201);
  const contractId = award.body.contractId as string;
  await http()
    .post(`/contracts/${contractId}/sign`)
    .set(agri.auth)
    .send({ contractNo: `谯农社服〔${year}〕1号`, signedOn: `${year}-05-22` })
    .expect(200);

  const rows = registerRows(village, 'wheat_harvest', [1250, 2375]).map((row, index) => ({
    ...row,
    workDate: `${year}-06-${10 + index}`,
  }));
  const csv = registerCsv(rows);
  const imported = await http()
    .post(`/contracts/${contractId}/register`)
    .set(coop.auth)
    .attach('file', Buffer.from(csv), 'register.csv')
    .expect(200);
  if (imported.body.accepted !== rows.length)
    throw new Error(`register: ${JSON.stringify(imported.body)}`);
  await uploadClaimAttachments(test, coop, contractId);
  await http()
    .post(`/contracts/${contractId}/task-lines/wheat_harvest/claim`)
    .set(coop.auth)
    .expect(200);
  const verified = await http()
    .post(`/contracts/${contractId}/task-lines/wheat_harvest/villages/${village}/verification`)
    .set(verifier.auth)
    .send({})
    .expect(200);
  const noticeId = verified.body.noticeId as string;
  const objectorPhone = '13912345678';
  const objection = await http()
    .post(`/public/notices/${noticeId}/objections`)
    .send({ name: '王大爷', phone: objectorPhone, text: '面积有出入' })
    .expect(201);
  await http()
    .post(`/objections/${objection.body.id}/resolve`)
    .set(verifier.auth)
    .send({ outcome: 'dismissed', note: '复核无误' })
    .expect(200);
  await advanceClock(test, admin, { advanceDays: 7 });

  const record = await http()
    .post(`/contracts/${contractId}/task-lines/wheat_harvest/acceptance`)
    .set(acceptors[3].auth)
    .send({ villages: [{ villageCode: village, acceptedAreaMu: '36.25' }] })
    .expect(201);
  for (const acceptor of acceptors) {
    await http()
      .post(`/acceptance-records/${record.body.id}/signatures`)
      .set(acceptor.auth)
      .send({ decision: 'pass' })
      .expect(200);
  }
  // A first round sent back, as happens: its note must reach the history and the audit sheet.
  await http().post(`/contracts/${contractId}/audit/approvals`).set(agri.auth).send({}).expect(200);
  await http()
    .post(`/contracts/${contractId}/audit/reject`)
    .set(finance.auth)
    .send({ note: '缺少农户签字确认单，退回补充' })
    .expect(200);
  // The district's sample (入户了解、实地查看): drawn, each sampled row visited as registered.
  const sample = await http()
    .post(`/contracts/${contractId}/audit/sample`)
    .set(agri.auth)
    .expect(201);
  const visitIds: string[] = [];
  for (const row of sample.body.rows as { rowId: string; verifiedAreaMu: string }[]) {
    const visit = await http()
      .post(`/audit-samples/${sample.body.id}/visits`)
      .set(finance.auth)
      .send({
        rowId: row.rowId,
        visitedOn: `${year}-07-08`,
        method: 'household',
        householdConfirms: true,
        observedAreaMu: row.verifiedAreaMu,
        satisfaction: 'satisfied',
      })
      .expect(201);
    visitIds.push(visit.body.id as string);
  }
  await http()
    .post(`/contracts/${contractId}/audit/approvals`)
    .set(agri.auth)
    .send({ note: '资料齐全，入户核查无误' })
    .expect(200);
  await http()
    .post(`/contracts/${contractId}/audit/approvals`)
    .set(finance.auth)
    .send({ note: '同意拨付' })
    .expect(200);
  const media = await http()
    .post(`/contracts/${contractId}/media-notice`)
    .set(agri.auth)
    .send({ mediaName: '《亳州晚报》', publishedOn: `${year}-07-20` })
    .expect(200);
  await advanceClock(test, admin, { advanceDays: 7 });
  const payout = await http()
    .post(`/contracts/${contractId}/payouts`)
    .set(payer.auth)
    .set('Idempotency-Key', `past-${year}-${contractId}`)
    .expect(201);
  if (paid) {
    await http()
      .post(`/payouts/${payout.body.id}/confirm`)
      .set(payer.auth)
      .send({ bankReference: `BANK-${year}-0001` })
      .expect(200);
  }
  return {
    year,
    district: tree.district,
    town: tree.town,
    village,
    projectId: tender.projectId,
    contractId,
    noticeId,
    mediaNoticeId: media.body.noticeId as string,
    auditSampleId: sample.body.id as string,
    auditVisitId: visitIds[0],
    objectionId: objection.body.id as string,
    payoutId: payout.body.id as string,
    organisationId: organisation.id,
    bankAccountNo,
    residentIds: rows.map((row) => row.householdIdNo),
    objectorPhone,
    sessions: { admin, agri, finance, payer, observer, coop, otherCoop, verifier, acceptors },
  };
}
