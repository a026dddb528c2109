import { Api } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import {
  LOT_AREAS,
  buildQiaocheng,
  invitedTenderBody,
  winningPrices,
  type Qiaocheng,
} from '../support/qiaocheng';
import { createTestApp, type TestApp } from '../support/test-app';

describe('projects, invited tenders with sealed bids, and awards (Qiaocheng 2014)', () => {
  let test: TestApp;
  let api: Api;
  let q: Qiaocheng;

  beforeAll(async () => {
    test = await createTestApp();
    api = new Api(test);
    q = await buildQiaocheng(api);
  });
  afterAll(async () => {
    await test.close();
  });

  const http = (): ReturnType<TestApp['http']> => test.http();

  async function publishTender(overrides: Record<string, unknown> = {}): Promise<string> {
    const response = await http()
      .post(`/projects/${q.projectId}/tenders`)
      .set(q.agri.auth)
      .send(invitedTenderBody(q, overrides))
      .expect(201);
    return response.body.id as string;
  }

  it('walks the case: invited tender, three bids, public opening, awards, contracts in awarded', async () => {
    const project = await http().get(`/projects/${q.projectId}`).set(q.agri.auth).expect(200);
    expect(project.body).toMatchObject({
      year: 2014,
      districtCode: q.district,
      serviceStart: '2015-06-01',
      serviceEnd: '2015-09-30',
      budgetFen: 268250000,
      budgetYuan: '2682500.00',
    });
    expect(project.body.tasks).toEqual(
      expect.arrayContaining([
        { code: 'wheat_harvest', name: '小麦机收', plannedAreaMu: '25000.00' },
      ]),
    );

    const tender = await http()
      .post(`/projects/${q.projectId}/tenders`)
      .set(q.agri.auth)
      .send(invitedTenderBody(q))
      .expect(201);
    expect(tender.body).toMatchObject({
      state: 'published',
      method: 'invited',
      publishedIn: '《亳州晚报》',
      publishedOn: '2015-05-25',
      openingOn: '2015-05-30',
    });
    const tenderId = tender.body.id as string;

    const bidIds: string[] = [];
    for (const [index, lotCode] of ['L1', 'L2', 'L3'].entries()) {
      const bid = await http()
        .post(`/tenders/${tenderId}/bids`)
        .set(q.coops[index].auth)
        .send({ lotCode, prices: winningPrices() })
        .expect(201);
      expect(bid.body).toEqual({ id: expect.any(String), replaced: false });
      bidIds.push(bid.body.id);
    }
    // A dearer competing bid on L1 by the second cooperative.
    const rival = await http()
      .post(`/tenders/${tenderId}/bids`)
      .set(q.coops[1].auth)
      .send({
        lotCode: 'L1',
        prices: [
          { taskCode: 'wheat_harvest', unitPriceYuan: 65 },
          { taskCode: 'straw_crushing', unitPriceYuan: '20' },
          { taskCode: 'corn_seeding', unitPriceYuan: 25.5 },
        ],
      })
      .expect(201);

    const opened = await http().post(`/tenders/${tenderId}/open`).set(q.agri.auth).expect(200);
    expect(opened.body.state).toBe('opened');
    expect(opened.body.bids).toHaveLength(4);
    const l1 = (
      opened.body.bids as { lotCode: string; id: string; rank: number; totalFen: number }[]
    ).filter((bid) => bid.lotCode === 'L1');
    expect(l1.map((bid) => [bid.id, bid.rank])).toEqual([
      [bidIds[0], 1],
      [rival.body.id, 2],
    ]);
    // 8000 mu × (63.67 + 19.33 + 24.33) yuan = 858,640.00 yuan
    expect(l1[0].totalFen).toBe(85864000);

    // Experts may rank the dearer bid first; the award need not follow the scores.
    await http()
      .post(`/tenders/${tenderId}/scores`)
      .set(q.agri.auth)
      .send({ bidId: rival.body.id, expert: '专家甲', score: 95 })
      .expect(201);
    await http()
      .post(`/tenders/${tenderId}/scores`)
      .set(q.agri.auth)
      .send({ bidId: bidIds[0], expert: '专家甲', score: '90.5' })
      .expect(201);
    const ranked = await http().get(`/tenders/${tenderId}/bids`).set(q.observer.auth).expect(200);
    expect(
      (ranked.body.items as { lotCode: string; id: string }[])
        .filter((bid) => bid.lotCode === 'L1')
        .map((bid) => bid.id),
    ).toEqual([rival.body.id, bidIds[0]]);

    const contractIds: string[] = [];
    for (const [index, lotCode] of ['L1', 'L2', 'L3'].entries()) {
      const award = await http()
        .post(`/tenders/${tenderId}/awards`)
        .set(q.agri.auth)
        .send({
          lotCode,
          bidId: bidIds[index],
          workDeadline: '2015-06-30',
          awardedOn: '2015-05-31',
        })
        .expect(201);
      expect(award.body).toEqual({ contractId: expect.any(String), state: 'awarded' });
      contractIds.push(award.body.contractId);
    }

    for (const [index, contractId] of contractIds.entries()) {
      const contract = await http()
        .get(`/contracts/${contractId}`)
        .set(q.coops[index].auth)
        .expect(200);
      expect(contract.headers.etag).toBe('"1"');
      expect(contract.body).toMatchObject({
        id: contractId,
        state: 'awarded',
        version: 1,
        projectId: q.projectId,
        organisationId: q.organisations[index].id,
        lotCode: ['L1', 'L2', 'L3'][index],
        villageCodes: [q.villages[index].code],
        workDeadline: '2015-06-30',
        awardedOn: '2015-05-31',
        subsidyFen: null,
      });
      const lines = contract.body.taskLines as {
        taskCode: string;
        unitPriceFen: number;
        unitPriceYuan: string;
        assignedAreaMu: string;
      }[];
      expect(Object.fromEntries(lines.map((line) => [line.taskCode, line.unitPriceFen]))).toEqual({
        wheat_harvest: 6367,
        straw_crushing: 1933,
        corn_seeding: 2433,
      });
      expect(lines.every((line) => line.assignedAreaMu === Object.values(LOT_AREAS)[index])).toBe(
        true,
      );
      const history = await http()
        .get(`/contracts/${contractId}/history`)
        .set(q.agri.auth)
        .expect(200);
      expect(history.body).toEqual([
        {
          seq: 1,
          at: expect.any(String),
          actor: q.agri.username,
          event: 'contract.awarded',
          from: null,
          to: 'awarded',
        },
      ]);
    }

    const tenderAfter = await http().get(`/tenders/${tenderId}`).set(q.agri.auth).expect(200);
    expect(
      tenderAfter.body.lots.map((lot: { award: { contractId: string } }) => lot.award.contractId),
    ).toEqual(contractIds);
    const events = await test.dataSource.query<{ event: string; actor_username: string }[]>(
      'SELECT event, actor_username FROM tender_event WHERE tender_id = $1 ORDER BY id',
      [tenderId],
    );
    expect(events.map((event) => event.event)).toEqual([
      'tender.published',
      'tender.opened',
      'lot.awarded',
      'lot.awarded',
      'lot.awarded',
    ]);
    expect(events.every((event) => event.actor_username === q.agri.username)).toBe(true);

    // Scopes: a cooperative sees only its own contracts; the district sees all three.
    const mine = await http().get('/contracts').set(q.coops[0].auth).expect(200);
    expect(mine.body.items.map((contract: { id: string }) => contract.id)).toEqual([
      contractIds[0],
    ]);
    await http().get(`/contracts/${contractIds[1]}`).set(q.coops[0].auth).expect(404);
    const all = await http()
      .get(`/contracts?projectId=${q.projectId}&state=awarded`)
      .set(q.finance.auth)
      .expect(200);
    expect(all.body.total).toBe(3);
  });

  describe('sealed bids', () => {
    it('before opening: another cooperative and the district cannot read a bid; after: the district can', async () => {
      const tenderId = await publishTender();
      const bid = await http()
        .post(`/tenders/${tenderId}/bids`)
        .set(q.coops[0].auth)
        .send({ lotCode: 'L1', prices: winningPrices() })
        .expect(201);

      const own = await http().get(`/tenders/${tenderId}/bids`).set(q.coops[0].auth).expect(200);
      expect(own.body.items.map((b: { id: string }) => b.id)).toEqual([bid.body.id]);
      const other = await http().get(`/tenders/${tenderId}/bids`).set(q.coops[1].auth).expect(200);
      expect(other.body).toEqual({ items: [], total: 0 });
      const district = await http().get(`/tenders/${tenderId}/bids`).set(q.agri.auth).expect(409);
      expect(district.body).toMatchObject({ code: 'BIDS_SEALED' });
      expect(district.body.detail).toMatch(
        /^已收到 1 份投标；开标日 \d{4}-\d{2}-\d{2} 之前一律密封$/,
      );
      const tender = await http().get(`/tenders/${tenderId}`).set(q.agri.auth).expect(200);
      expect(tender.body.lots[0].bidCount).toBe(1);
      const seenByCoop = await http().get(`/tenders/${tenderId}`).set(q.coops[1].auth).expect(200);
      expect(seenByCoop.body.lots[0].bidCount).toBeNull();

      await http().post(`/tenders/${tenderId}/open`).set(q.agri.auth).expect(200);
      const after = await http().get(`/tenders/${tenderId}/bids`).set(q.finance.auth).expect(200);
      expect(after.body).toEqual({
        items: [
          expect.objectContaining({ id: bid.body.id, organisationId: q.organisations[0].id }),
        ],
        total: 1,
      });
      expect(
        (await http().get(`/tenders/${tenderId}/bids`).set(q.coops[1].auth).expect(200)).body,
      ).toEqual({ items: [], total: 0 });
    });

    it('lets an organisation replace its own bid until the opening', async () => {
      const tenderId = await publishTender();
      const first = await http()
        .post(`/tenders/${tenderId}/bids`)
        .set(q.coops[0].auth)
        .send({ lotCode: 'L2', prices: winningPrices() })
        .expect(201);
      const cheaper = winningPrices().map((price) => ({ ...price, unitPriceYuan: '10.00' }));
      const second = await http()
        .post(`/tenders/${tenderId}/bids`)
        .set(q.coops[0].auth)
        .send({ lotCode: 'L2', prices: cheaper })
        .expect(201);
      expect(second.body).toEqual({ id: first.body.id, replaced: true });
      const own = await http().get(`/tenders/${tenderId}/bids`).set(q.coops[0].auth).expect(200);
      expect(
        own.body.items[0].prices.map((price: { unitPriceFen: number }) => price.unitPriceFen),
      ).toEqual([1000, 1000, 1000]);
    });
  });

  describe('bad input answers clearly and changes nothing', () => {
    let tenderId: string;

    beforeAll(async () => {
      tenderId = await publishTender();
      // A second tender whose lot X9 the first tender does not have.
      await publishTender({
        lots: [
          {
            code: 'X9',
            villageCodes: [q.villages[0].code],
            tasks: [{ taskCode: 'wheat_harvest', areaMu: 1 }],
          },
        ],
      });
    });

    async function refused(
      send: () => Promise<{ status: number; body: { code: string } }>,
      status: number,
      code: string,
    ): Promise<void> {
      const response = await expectNoWrites(test.dataSource, send);
      expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    }

    const bid = (session: { auth: Record<string, string> }, id: string, body: unknown) => () =>
      http()
        .post(`/tenders/${id}/bids`)
        .set(session.auth)
        .send(body as object);

    it('a bid on a lot of another tender → 400 UNKNOWN_LOT', async () => {
      await refused(
        bid(q.coops[0], tenderId, { lotCode: 'X9', prices: winningPrices() }),
        400,
        'UNKNOWN_LOT',
      );
    });

    it('a missing task price → 400 BID_PRICES_INCOMPLETE', async () => {
      await refused(
        bid(q.coops[0], tenderId, { lotCode: 'L1', prices: winningPrices().slice(0, 2) }),
        400,
        'BID_PRICES_INCOMPLETE',
      );
    });

    it('a price for a task not in the lot → 400 TASK_NOT_IN_LOT', async () => {
      await refused(
        bid(q.coops[0], tenderId, {
          lotCode: 'L1',
          prices: [...winningPrices(), { taskCode: 'rice', unitPriceYuan: 1 }],
        }),
        400,
        'TASK_NOT_IN_LOT',
      );
    });

    it.each([
      ['zero', 0],
      ['negative', -63.67],
      ['three decimals', '63.675'],
      ['not a number', 'sixty'],
    ])('a %s price → 400 VALIDATION_FAILED naming the field', async (_, price) => {
      const prices = winningPrices().map((p, index) =>
        index === 0 ? { ...p, unitPriceYuan: price } : p,
      );
      const response = await expectNoWrites(
        test.dataSource,
        bid(q.coops[0], tenderId, { lotCode: 'L1', prices }),
      );
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'prices[0].unitPriceYuan' }],
      });
    });

    it('an organisation that was not invited → 403 NOT_INVITED', async () => {
      const outsider = await api.organisation();
      const session = await api.user('cooperative', { organisationId: outsider.id });
      await refused(
        bid(session, tenderId, { lotCode: 'L1', prices: winningPrices() }),
        403,
        'NOT_INVITED',
      );
    });

    it('a district official bidding → 403 FORBIDDEN', async () => {
      await refused(
        bid(q.agri, tenderId, { lotCode: 'L1', prices: winningPrices() }),
        403,
        'FORBIDDEN',
      );
    });

    it('lots adding up to more than the planned area → 400 LOT_AREA_EXCEEDS_PLAN', async () => {
      const body = invitedTenderBody(q);
      (body.lots as { tasks: { areaMu: string }[] }[])[0].tasks[0].areaMu = '8000.01';
      await refused(
        () => http().post(`/projects/${q.projectId}/tenders`).set(q.agri.auth).send(body),
        400,
        'LOT_AREA_EXCEEDS_PLAN',
      );
    });

    it('opening before the opening date → 409 TENDER_NOT_DUE', async () => {
      const future = await publishTender({ publishedOn: '2099-12-01', openingOn: '2099-12-31' });
      await refused(
        () => http().post(`/tenders/${future}/open`).set(q.agri.auth),
        409,
        'TENDER_NOT_DUE',
      );
    });

    describe('after the opening', () => {
      let l1Bid: string;
      let l2Bid: string;

      beforeAll(async () => {
        l1Bid = (
          await bid(q.coops[0], tenderId, { lotCode: 'L1', prices: winningPrices() })().expect(201)
        ).body.id;
        l2Bid = (
          await bid(q.coops[1], tenderId, { lotCode: 'L2', prices: winningPrices() })().expect(201)
        ).body.id;
        await http().post(`/tenders/${tenderId}/open`).set(q.agri.auth).expect(200);
      });

      it('a bid → 409 BID_AFTER_OPENING', async () => {
        await refused(
          bid(q.coops[2], tenderId, { lotCode: 'L3', prices: winningPrices() }),
          409,
          'BID_AFTER_OPENING',
        );
      });

      it('opening twice → 409 TENDER_ALREADY_OPENED', async () => {
        await refused(
          () => http().post(`/tenders/${tenderId}/open`).set(q.agri.auth),
          409,
          'TENDER_ALREADY_OPENED',
        );
      });

      it('awarding a bid of another lot → 400 BID_NOT_IN_LOT', async () => {
        await refused(
          () =>
            http().post(`/tenders/${tenderId}/awards`).set(q.agri.auth).send({
              lotCode: 'L1',
              bidId: l2Bid,
              workDeadline: '2015-06-30',
              awardedOn: '2015-05-31',
            }),
          400,
          'BID_NOT_IN_LOT',
        );
      });

      it('a deadline outside the service window → 400 DEADLINE_OUTSIDE_SERVICE_WINDOW', async () => {
        await refused(
          () =>
            http().post(`/tenders/${tenderId}/awards`).set(q.agri.auth).send({
              lotCode: 'L1',
              bidId: l1Bid,
              workDeadline: '2015-10-01',
              awardedOn: '2015-05-31',
            }),
          400,
          'DEADLINE_OUTSIDE_SERVICE_WINDOW',
        );
      });

      it('an award dated before the opening → 400 AWARD_DATE_INVALID', async () => {
        await refused(
          () =>
            http().post(`/tenders/${tenderId}/awards`).set(q.agri.auth).send({
              lotCode: 'L1',
              bidId: l1Bid,
              workDeadline: '2015-06-30',
              awardedOn: '2015-05-29',
            }),
          400,
          'AWARD_DATE_INVALID',
        );
      });

      it('awarding a lot twice → 409 LOT_ALREADY_AWARDED', async () => {
        await http()
          .post(`/tenders/${tenderId}/awards`)
          .set(q.agri.auth)
          .send({
            lotCode: 'L1',
            bidId: l1Bid,
            workDeadline: '2015-06-30',
            awardedOn: '2015-05-31',
          })
          .expect(201);
        await refused(
          () =>
            http().post(`/tenders/${tenderId}/awards`).set(q.agri.auth).send({
              lotCode: 'L1',
              bidId: l1Bid,
              workDeadline: '2015-06-30',
              awardedOn: '2015-05-31',
            }),
          409,
          'LOT_ALREADY_AWARDED',
        );
      });

      it('a district official of another district → 404', async () => {
        const elsewhere = await api.regionTree(1);
        const stranger = await api.user('district_agri', { regionCode: elsewhere.district });
        await refused(
          () => http().post(`/tenders/${tenderId}/open`).set(stranger.auth),
          404,
          'NOT_FOUND',
        );
        await http().get(`/projects/${q.projectId}`).set(stranger.auth).expect(404);
      });
    });

    it('a project with villages of another district → 400 UNKNOWN_VILLAGE; a duplicate task code → 400', async () => {
      const elsewhere = await api.regionTree(1);
      const base = {
        code: 'P-BAD',
        name: '错误项目',
        year: 2015,
        districtCode: q.district,
        villageCodes: [elsewhere.villages[0]],
        tasks: [{ code: 'a', name: 'A', plannedAreaMu: 1 }],
        serviceStart: '2015-06-01',
        serviceEnd: '2015-06-30',
      };
      await refused(
        () => http().post('/projects').set(q.agri.auth).send(base),
        400,
        'UNKNOWN_VILLAGE',
      );
      await refused(
        () =>
          http()
            .post('/projects')
            .set(q.agri.auth)
            .send({
              ...base,
              villageCodes: [q.villages[0].code],
              tasks: [
                { code: 'a', name: 'A', plannedAreaMu: 1 },
                { code: 'a', name: 'B', plannedAreaMu: 2 },
              ],
            }),
        400,
        'DUPLICATE_TASK_CODE',
      );
      await refused(
        () =>
          http()
            .post('/projects')
            .set(q.agri.auth)
            .send({ ...base, villageCodes: [q.villages[0].code], serviceEnd: '2015-05-01' }),
        400,
        'SERVICE_WINDOW_INVALID',
      );
      await refused(
        () =>
          http()
            .post('/projects')
            .set(q.agri.auth)
            .send({
              ...base,
              villageCodes: [q.villages[0].code],
              tasks: [{ code: 'a', name: 'A', plannedAreaMu: '1.234' }],
            }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });
});
