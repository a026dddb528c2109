import { nextSeq } from '../factories/codes';
import type { Api, Session } from './api';
import { addRows, advanceClock, uploadClaimAttachments } from './lifecycle';
import type { TestApp } from './test-app';

/** Lots per tender (the tender DTO's cap). */
const LOTS_PER_TENDER = 100;
const PRICE_YUAN = '63.67';

export interface PayableWorld {
  district: string;
  village: string;
  admin: Session;
  agri: Session;
  /** Approves the audit's finance side. */
  approver: Session;
  /** Another finance official: issues payouts and sends them to the bank. */
  finance: Session;
  coops: Session[];
  projectId: string;
  /** Contracts in `payable`, in lot order. */
  contractIds: string[];
  /** Per contract: its subsidy in fen (area × 63.67 yuan/mu, rounded half up). */
  subsidyFen: Map<string, number>;
}

async function pool<T>(items: T[], width: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index], index);
      }
    }),
  );
}

/**
 * `count` contracts of one district driven to `payable` the short way through HTTP (needs an
 * app with `testClock`): one project, lots of one village × one task (wheat harvest at 63.67
 * yuan/mu), one register row each (10.01 mu, 10.02 mu, … so every subsidy differs), claimed,
 * verified, 7 days, accepted by five signers, audited by both bureaus, media notice, 7 days.
 * `width` contracts are driven at a time.
 */
export interface PayableOptions {
  /** Cooperatives that the lots go to in turn (2). */
  coops?: number;
  /** Stop when the agriculture side has approved the audit (the finance side is the test's). */
  stopAtFinanceApproval?: boolean;
  /** Stop once the contracts are accepted, before the district audit (both sides the test's). */
  stopBeforeAudit?: boolean;
  /** The register rows of every contract, in hundredths of a mu (default: one row, 10.01 + lot). */
  rowAreas?: number[];
  /** The village's assessment sent with every verification. */
  assessment?: { quality: 'good' | 'fair' | 'poor'; note?: string };
  /** Runs once the district exists, before the project (e.g. a policy for the district). */
  beforeProject?: (district: string, admin: Session) => Promise<void>;
}

export async function payableContracts(
  test: TestApp,
  api: Api,
  count: number,
  width = 4,
  options: PayableOptions = {},
): Promise<PayableWorld> {
  const http = () => test.http();
  const tree = await api.regionTree(1);
  const village = tree.villages[0];
  const admin = await api.admin();
  const member = (
    acceptanceRole: 'technical_guidance' | 'township_leader' | 'station_head' | 'farmer_supervisor',
  ) => api.user('town_acceptor', { regionCode: tree.town, acceptanceRole });
  const agri = await api.user('district_agri', { regionCode: tree.district });
  const approver = await api.user('district_finance', { regionCode: tree.district });
  const finance = await api.user('district_finance', { regionCode: tree.district });
  const verifier = await api.user('village_verifier', { regionCode: village });
  const station = await member('station_head');
  const signers = [
    await member('technical_guidance'),
    await member('township_leader'),
    station,
    await member('farmer_supervisor'),
    await member('technical_guidance'),
  ];
  const coops: Session[] = [];
  for (let i = 0; i < (options.coops ?? 2); i++) {
    const organisation = await api.organisation();
    coops.push(await api.user('cooperative', { organisationId: organisation.id }));
  }
  const rowsOf = (lot: number) => options.rowAreas ?? [1001 + lot]; // hundredths of a mu
  const areaOf = (lot: number) => rowsOf(lot).reduce((total, area) => total + area, 0);
  await options.beforeProject?.(tree.district, admin);
  const project = await http()
    .post('/projects')
    .set(agri.auth)
    .send({
      code: `PAY-${nextSeq()}`,
      name: '拨付批次测试项目',
      year: 2015,
      districtCode: tree.district,
      villageCodes: [village],
      tasks: [{ code: 'wheat_harvest', name: '小麦机收', plannedAreaMu: count * 100 }],
      serviceStart: '2015-06-01',
      serviceEnd: '2015-06-30',
    });
  if (project.status !== 201) throw new Error(`project: ${JSON.stringify(project.body)}`);
  const contractIds: string[] = [];
  for (let first = 0; first < count; first += LOTS_PER_TENDER) {
    const lots = Array.from(
      { length: Math.min(LOTS_PER_TENDER, count - first) },
      (_, i) => first + i,
    );
    const tender = await http()
      .post(`/projects/${project.body.id}/tenders`)
      .set(agri.auth)
      .send({
        method: 'open',
        publishedIn: '《亳州晚报》',
        publishedOn: '2015-05-01',
        openingOn: '2015-05-02',
        lots: lots.map((lot) => ({
          code: `L${lot + 1}`,
          villageCodes: [village],
          tasks: [{ taskCode: 'wheat_harvest', areaMu: 100 }],
        })),
      })
      .expect(201);
    const bids: string[] = [];
    await pool(lots, width, async (lot, index) => {
      const bid = await http()
        .post(`/tenders/${tender.body.id}/bids`)
        .set(coops[lot % coops.length].auth)
        .send({
          lotCode: `L${lot + 1}`,
          prices: [{ taskCode: 'wheat_harvest', unitPriceYuan: PRICE_YUAN }],
        })
        .expect(201);
      bids[index] = bid.body.id as string;
    });
    await http().post(`/tenders/${tender.body.id}/open`).set(agri.auth).expect(200);
    await pool(lots, width, async (lot, index) => {
      const award = await http()
        .post(`/tenders/${tender.body.id}/awards`)
        .set(agri.auth)
        .send({
          lotCode: `L${lot + 1}`,
          bidId: bids[index],
          workDeadline: '2015-06-30',
          awardedOn: '2015-05-03',
        })
        .expect(201);
      contractIds[lot] = award.body.contractId as string;
    });
  }
  const coopOf = (lot: number) => coops[lot % coops.length];

  await pool(contractIds, width, async (id, lot) => {
    await http()
      .post(`/contracts/${id}/sign`)
      .set(agri.auth)
      .send({ contractNo: `谯农服合〔2015〕${lot + 1}号`, signedOn: '2015-05-04' })
      .expect(200);
    await uploadClaimAttachments(test, coopOf(lot), id);
    await addRows(test, coopOf(lot), id, village, 'wheat_harvest', rowsOf(lot));
    await http()
      .post(`/contracts/${id}/task-lines/wheat_harvest/claim`)
      .set(coopOf(lot).auth)
      .expect(200);
    await http()
      .post(`/contracts/${id}/task-lines/wheat_harvest/villages/${village}/verification`)
      .set(verifier.auth)
      .send(options.assessment ? { assessment: options.assessment } : {})
      .expect(200);
  });
  await advanceClock(test, admin, { advanceDays: 7 });
  await pool(contractIds, width, async (id, lot) => {
    const area = areaOf(lot);
    const record = await http()
      .post(`/contracts/${id}/task-lines/wheat_harvest/acceptance`)
      .set(station.auth)
      .send({
        villages: [
          {
            villageCode: village,
            acceptedAreaMu: `${Math.floor(area / 100)}.${String(area % 100).padStart(2, '0')}`,
          },
        ],
      })
      .expect(201);
    for (const signer of signers) {
      await http()
        .post(`/acceptance-records/${record.body.id}/signatures`)
        .set(signer.auth)
        .send({ decision: 'pass' })
        .expect(200);
    }
    if (options.stopBeforeAudit) return;
    await http().post(`/contracts/${id}/audit/approvals`).set(agri.auth).send({}).expect(200);
    if (options.stopAtFinanceApproval) return;
    await http().post(`/contracts/${id}/audit/approvals`).set(approver.auth).send({}).expect(200);
    await http()
      .post(`/contracts/${id}/media-notice`)
      .set(agri.auth)
      .send({ mediaName: '《亳州晚报》', publishedOn: '2015-07-20' })
      .expect(200);
  });
  if (!options.stopAtFinanceApproval && !options.stopBeforeAudit)
    await advanceClock(test, admin, { advanceDays: 7 });
  // 63.67 yuan/mu = 6367 fen per mu; area in hundredths: round half up of area × 6367 / 100.
  const subsidyFen = new Map(
    contractIds.map((id, lot) => [id, Math.floor((areaOf(lot) * 6367 + 50) / 100)]),
  );
  return {
    district: tree.district,
    village,
    admin,
    agri,
    approver,
    finance,
    coops,
    projectId: project.body.id as string,
    contractIds,
    subsidyFen,
  };
}

/** Issues the payout of a payable contract (as `finance`, with this key); its answer's body. */
export async function issuePayout(
  test: TestApp,
  finance: Session,
  contractId: string,
  key = `pay-${contractId}`,
): Promise<IssuedPayout> {
  const response = await test
    .http()
    .post(`/contracts/${contractId}/payouts`)
    .set(finance.auth)
    .set('Idempotency-Key', key)
    .send({})
    .expect(201);
  return response.body as IssuedPayout;
}

export interface IssuedPayout {
  id: string;
  payoutNo: string;
  contractId: string;
  amountFen: number;
  payee: { bankAccountNo: string };
}
