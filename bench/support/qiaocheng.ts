/**
 * The Qiaocheng places of the single-contract benchmarks (documents, register import): 谯城区
 * 341602, 双沟镇 and its three villages (register-csv.ts VILLAGES), the 丰收 cooperative and a
 * district agriculture official; and a signed contract of one lot over the three villages from
 * an invited tender (project → tender → bid → opening → award → sign, over HTTP).
 */
import type { Api, Session } from '../../test/support/api';
import type { TestApp } from '../../test/support/test-app';
import { expectStatus, type Call } from './http';
import { VILLAGES } from './register-csv';
import {
  openTender,
  postAward,
  postBid,
  postProject,
  postTender,
  type PricedTask,
} from './tenders';

export interface QiaochengPlaces {
  district: string;
  town: string;
  villageCodes: string[];
  organisationId: string;
  coop: Session;
  agri: Session;
}

/** The regions, the cooperative and the official; once per database (the codes are fixed). */
export async function qiaochengPlaces(api: Api): Promise<QiaochengPlaces> {
  const district = '341602';
  const town = `${district}104`;
  await api.region({ code: district, name: '谯城区', level: 'district' });
  await api.region({ code: town, name: '双沟镇', level: 'town', parentCode: district });
  const villageCodes = VILLAGES.map((village) => `${town}${village.suffix}`);
  for (const [index, village] of VILLAGES.entries()) {
    await api.region({
      code: villageCodes[index],
      name: village.name,
      level: 'village',
      parentCode: town,
    });
  }
  const organisationName = '亳州市谯城区丰收农机专业合作社';
  const organisation = await api.organisation({
    name: organisationName,
    bankAccountName: organisationName,
    grade: 'provincial',
  });
  const coop = await api.user('cooperative', { organisationId: organisation.id });
  const agri = await api.user('district_agri', { regionCode: district });
  return { district, town, villageCodes, organisationId: organisation.id, coop, agri };
}

/**
 * A fresh project (code `BENCH-<label>`) with one lot of the three villages × `tasks`, each of
 * `areaMu` (planned and in the lot), invited to the 丰收 cooperative, its bid at the tasks'
 * prices, opened, awarded and signed: the contract in `contracted`.
 */
export async function signedContract(
  test: TestApp,
  places: QiaochengPlaces,
  label: string,
  tasks: readonly PricedTask[],
  areaMu = '1000000.00',
): Promise<{ projectId: string; contractId: string }> {
  const { agri, coop, villageCodes } = places;
  const projectId = await postProject(test, agri, {
    code: `BENCH-${label}`,
    name: `谯城区2014年全程社会化服务（压测 ${label}）`,
    districtCode: places.district,
    villageCodes,
    tasks,
    plannedAreaMu: areaMu,
  });
  const tenderId = await postTender(test, agri, projectId, {
    method: 'invited',
    invitedOrganisationIds: [places.organisationId],
    lots: [
      { code: 'L1', villageCodes, tasks: tasks.map((task) => ({ taskCode: task.code, areaMu })) },
    ],
  });
  const bidId = await postBid(test, coop, tenderId, 'L1', tasks);
  await openTender(test, agri, tenderId);
  const contractId = await postAward(test, agri, tenderId, 'L1', bidId);
  await expectStatus(
    'sign',
    test
      .http()
      .post(`/contracts/${contractId}/sign`)
      .set(agri.auth)
      .send({ contractNo: `谯农服合〔2015〕压测${label}`, signedOn: '2015-06-01' }),
  );
  return { projectId, contractId };
}

/** The three claim papers (legal person certificate, contract and register scans) as PDFs. */
export async function uploadClaimPapers(
  call: Call,
  coop: Session,
  contractId: string,
): Promise<void> {
  for (const kind of ['legal_person_certificate', 'contract_scan', 'register_scan']) {
    await call('attachment', 201, 'POST', `/contracts/${contractId}/attachments`, {
      session: coop,
      multipart: {
        fields: { kind },
        file: {
          name: `${kind}.pdf`,
          type: 'application/pdf',
          data: Buffer.from(`%PDF-1.4 ${kind} of ${contractId}`),
        },
      },
    });
  }
}
