import { nextSeq } from '../factories/codes';
import { type Api, type Session } from './api';

/**
 * The Qiaocheng 2014 case of domain.md, built over HTTP: district 谯城区, town 双沟镇 with
 * 王各村, 邹李村, 闫庄村; three tasks of 25,000 mu; three invited cooperatives. Codes are made
 * unique per call so that one test file can build several.
 */
export const TASKS = [
  { code: 'wheat_harvest', name: '小麦机收', priceYuan: '63.67', priceFen: 6367 },
  { code: 'straw_crushing', name: '秸秆粉碎灭茬', priceYuan: '19.33', priceFen: 1933 },
  { code: 'corn_seeding', name: '玉米播种', priceYuan: '24.33', priceFen: 2433 },
] as const;

export const LOT_AREAS = { L1: '8000.00', L2: '8500.00', L3: '8500.00' } as const;

export interface Qiaocheng {
  district: string;
  town: string;
  villages: { code: string; name: string }[];
  organisations: { id: string; name: string }[];
  coops: Session[];
  agri: Session;
  finance: Session;
  observer: Session;
  projectId: string;
}

export async function buildQiaocheng(api: Api): Promise<Qiaocheng> {
  const district = String(500000 + nextSeq());
  const town = `${district}104`;
  await api.region({ code: district, name: '谯城区', level: 'district' });
  await api.region({ code: town, name: '双沟镇', level: 'town', parentCode: district });
  const villages = [
    { code: `${town}201`, name: '王各村' },
    { code: `${town}202`, name: '邹李村' },
    { code: `${town}203`, name: '闫庄村' },
  ];
  for (const village of villages)
    await api.region({ ...village, level: 'village', parentCode: town });

  const names = [
    '亳州市焦魁农机专业合作社',
    '亳州市贵勤农机专业合作社',
    '亳州市谯城区丰收农机专业合作社',
  ];
  const grades = ['national', 'provincial', 'municipal'];
  const organisations: { id: string; name: string }[] = [];
  const coops: Session[] = [];
  for (const [index, name] of names.entries()) {
    const organisation = await api.organisation({
      name,
      bankAccountName: name,
      grade: grades[index],
    });
    organisations.push({ id: organisation.id, name });
    coops.push(await api.user('cooperative', { organisationId: organisation.id }));
  }
  const agri = await api.user('district_agri', { regionCode: district });
  const finance = await api.user('district_finance', { regionCode: district });
  const observer = await api.user('observer', { regionCode: district });

  const project = await api.test
    .http()
    .post('/projects')
    .set(agri.auth)
    .send({
      code: `谯城区2014-${nextSeq()}`,
      name: '谯城区2014年小麦产业现代农业生产发展资金项目全程社会化服务',
      year: 2014,
      districtCode: district,
      villageCodes: villages.map((village) => village.code),
      tasks: TASKS.map((task) => ({ code: task.code, name: task.name, plannedAreaMu: '25000.00' })),
      serviceStart: '2015-06-01',
      serviceEnd: '2015-09-30',
      budgetYuan: '2682500.00',
    })
    .expect(201);
  return {
    district,
    town,
    villages,
    organisations,
    coops,
    agri,
    finance,
    observer,
    projectId: project.body.id as string,
  };
}

/** The invited tender of 2015-05-25 in 《亳州晚报》, one lot per village, all three tasks each. */
export function invitedTenderBody(
  q: Qiaocheng,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    method: 'invited',
    publishedIn: '《亳州晚报》',
    publishedOn: '2015-05-25',
    openingOn: '2015-05-30',
    invitedOrganisationIds: q.organisations.map((organisation) => organisation.id),
    lots: (['L1', 'L2', 'L3'] as const).map((code, index) => ({
      code,
      villageCodes: [q.villages[index].code],
      tasks: TASKS.map((task) => ({ taskCode: task.code, areaMu: LOT_AREAS[code] })),
    })),
    ...overrides,
  };
}

export function winningPrices(): { taskCode: string; unitPriceYuan: string }[] {
  return TASKS.map((task) => ({ taskCode: task.code, unitPriceYuan: task.priceYuan }));
}

/** Project → tender → one winning bid per lot → opening → awards: three contracts in `awarded`. */
export async function awardQiaocheng(
  api: Api,
  q: Qiaocheng,
): Promise<{ tenderId: string; contractIds: string[] }> {
  const http = api.test.http.bind(api.test);
  const tender = await http()
    .post(`/projects/${q.projectId}/tenders`)
    .set(q.agri.auth)
    .send(invitedTenderBody(q))
    .expect(201);
  const tenderId = tender.body.id as string;
  const bidIds: string[] = [];
  for (const [index, lotCode] of ['L1', 'L2', 'L3'].entries()) {
    const bid = await http()
      .post(`/tenders/${tenderId}/bids`)
      .set(q.coops[index].auth)
      .send({ lotCode, prices: winningPrices() })
      .expect(201);
    bidIds.push(bid.body.id as string);
  }
  await http().post(`/tenders/${tenderId}/open`).set(q.agri.auth).expect(200);
  const contractIds: string[] = [];
  for (const [index, lotCode] of ['L1', 'L2', 'L3'].entries()) {
    const award = await http()
      .post(`/tenders/${tenderId}/awards`)
      .set(q.agri.auth)
      .send({ lotCode, bidId: bidIds[index], workDeadline: '2015-06-30', awardedOn: '2015-05-31' })
      .expect(201);
    contractIds.push(award.body.contractId as string);
  }
  return { tenderId, contractIds };
}
