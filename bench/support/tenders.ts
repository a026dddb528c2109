/**
 * The procurement steps of the benchmarks' set-up over HTTP, each answer checked: a project, its
 * tender (the 2015 dates: published 25 May, opened 30 May), a bid, the opening, an award
 * (awarded 31 May, work deadline 30 June).
 */
import type { Session } from '../../test/support/api';
import type { TestApp } from '../../test/support/test-app';
import { expectStatus } from './http';

export interface PricedTask {
  code: string;
  name: string;
  priceYuan: string;
}

/** A 2014 project of the 2015 season (June to September); its id. */
export async function postProject(
  test: TestApp,
  agri: Session,
  spec: {
    code: string;
    name: string;
    districtCode: string;
    villageCodes: string[];
    tasks: readonly PricedTask[];
    plannedAreaMu: string;
  },
): Promise<string> {
  const project = await expectStatus(
    'project',
    test
      .http()
      .post('/projects')
      .set(agri.auth)
      .send({
        code: spec.code,
        name: spec.name,
        year: 2014,
        districtCode: spec.districtCode,
        villageCodes: spec.villageCodes,
        tasks: spec.tasks.map((task) => ({
          code: task.code,
          name: task.name,
          plannedAreaMu: spec.plannedAreaMu,
        })),
        serviceStart: '2015-06-01',
        serviceEnd: '2015-09-30',
      }),
    201,
  );
  return project.body.id as string;
}

/** A tender of `lots` (open, or invited with `invitedOrganisationIds`); its id. */
export async function postTender(
  test: TestApp,
  agri: Session,
  projectId: string,
  body: {
    method: 'open' | 'invited';
    invitedOrganisationIds?: string[];
    lots: { code: string; villageCodes: string[]; tasks: { taskCode: string; areaMu: string }[] }[];
  },
): Promise<string> {
  const tender = await expectStatus(
    'tender',
    test
      .http()
      .post(`/projects/${projectId}/tenders`)
      .set(agri.auth)
      .send({
        publishedIn: '《亳州晚报》',
        publishedOn: '2015-05-25',
        openingOn: '2015-05-30',
        ...body,
      }),
    201,
  );
  return tender.body.id as string;
}

/** A bid on one lot at the tasks' prices; its id. */
export async function postBid(
  test: TestApp,
  coop: Session,
  tenderId: string,
  lotCode: string,
  tasks: readonly PricedTask[],
): Promise<string> {
  const bid = await expectStatus(
    'bid',
    test
      .http()
      .post(`/tenders/${tenderId}/bids`)
      .set(coop.auth)
      .send({
        lotCode,
        prices: tasks.map((task) => ({ taskCode: task.code, unitPriceYuan: task.priceYuan })),
      }),
    201,
  );
  return bid.body.id as string;
}

export async function openTender(test: TestApp, agri: Session, tenderId: string): Promise<void> {
  await expectStatus('open', test.http().post(`/tenders/${tenderId}/open`).set(agri.auth));
}

/** Awards one lot to one bid; the contract's id. */
export async function postAward(
  test: TestApp,
  agri: Session,
  tenderId: string,
  lotCode: string,
  bidId: string,
): Promise<string> {
  const award = await expectStatus(
    'award',
    test.http().post(`/tenders/${tenderId}/awards`).set(agri.auth).send({
      lotCode,
      bidId,
      workDeadline: '2015-06-30',
      awardedOn: '2015-05-31',
    }),
    201,
  );
  return award.body.contractId as string;
}
