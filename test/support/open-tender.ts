import type { Session } from './api';
import type { TestApp } from './test-app';

export interface OpenTenderSpec {
  agri: Session;
  coop: Session;
  districtCode: string;
  villageCodes: string[];
  code: string;
  name: string;
  year: number;
  serviceStart: string;
  serviceEnd: string;
  publishedIn: string;
  publishedOn: string;
  openingOn: string;
  task: { code: string; name: string; areaMu: number };
  unitPriceYuan: number | string;
}

/**
 * A project with one task, an open tender of one lot `A` over its villages, the cooperative's bid
 * and the opening: what every test that needs an award starts from. `award` posts the award
 * (the test checks its status).
 */
export async function openedTender(test: TestApp, spec: OpenTenderSpec) {
  const http = () => test.http();
  const project = await http()
    .post('/projects')
    .set(spec.agri.auth)
    .send({
      code: spec.code,
      name: spec.name,
      year: spec.year,
      districtCode: spec.districtCode,
      villageCodes: spec.villageCodes,
      tasks: [{ code: spec.task.code, name: spec.task.name, plannedAreaMu: spec.task.areaMu }],
      serviceStart: spec.serviceStart,
      serviceEnd: spec.serviceEnd,
    })
    .expect(201);
  const tender = await http()
    .post(`/projects/${project.body.id}/tenders`)
    .set(spec.agri.auth)
    .send({
      method: 'open',
      publishedIn: spec.publishedIn,
      publishedOn: spec.publishedOn,
      openingOn: spec.openingOn,
      lots: [
        {
          code: 'A',
          villageCodes: spec.villageCodes,
          tasks: [{ taskCode: spec.task.code, areaMu: spec.task.areaMu }],
        },
      ],
    })
    .expect(201);
  const bid = await http()
    .post(`/tenders/${tender.body.id}/bids`)
    .set(spec.coop.auth)
    .send({
      lotCode: 'A',
      prices: [{ taskCode: spec.task.code, unitPriceYuan: spec.unitPriceYuan }],
    })
    .expect(201);
  await http().post(`/tenders/${tender.body.id}/open`).set(spec.agri.auth).expect(200);
  return {
    projectId: project.body.id as string,
    tenderId: tender.body.id as string,
    bidId: bid.body.id as string,
    award: (body: { workDeadline: string; awardedOn?: string }) =>
      http()
        .post(`/tenders/${tender.body.id}/awards`)
        .set(spec.agri.auth)
        .send({ lotCode: 'A', bidId: bid.body.id, ...body }),
  };
}
