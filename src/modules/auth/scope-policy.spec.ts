import type { Actor } from './actor';
import { inScope, type ScopeTarget } from './scope-policy';

const base: Actor = {
  id: 'u',
  username: 'u',
  displayName: 'u',
  role: 'admin',
  organisationId: null,
  regionCode: null,
  districtCode: null,
  townCode: null,
  villageCode: null,
  acceptanceRole: null,
};

const contractInVillageA: ScopeTarget = {
  districtCodes: ['D1'],
  townCodes: ['T1'],
  villageCodes: ['V1'],
  organisationIds: ['O1'],
};

describe('scope policy', () => {
  it.each<[string, Partial<Actor>, boolean]>([
    ['admin', { role: 'admin' }, true],
    ['district agri of the district', { role: 'district_agri', districtCode: 'D1' }, true],
    [
      'district finance of another district',
      { role: 'district_finance', districtCode: 'D2' },
      false,
    ],
    ['observer of the district', { role: 'observer', districtCode: 'D1' }, true],
    [
      'town acceptor of the town',
      { role: 'town_acceptor', districtCode: 'D1', townCode: 'T1' },
      true,
    ],
    [
      'town acceptor of another town',
      { role: 'town_acceptor', districtCode: 'D1', townCode: 'T2' },
      false,
    ],
    [
      'village verifier of the village',
      { role: 'village_verifier', townCode: 'T1', villageCode: 'V1' },
      true,
    ],
    [
      'village verifier of a neighbour village',
      { role: 'village_verifier', townCode: 'T1', villageCode: 'V2' },
      false,
    ],
    ['the cooperative itself', { role: 'cooperative', organisationId: 'O1' }, true],
    ['another cooperative', { role: 'cooperative', organisationId: 'O2' }, false],
    ['a district role without a district', { role: 'district_agri', districtCode: null }, false],
  ])('%s → %s', (_, actor, expected) => {
    expect(inScope({ ...base, ...actor }, contractInVillageA)).toBe(expected);
  });
});
