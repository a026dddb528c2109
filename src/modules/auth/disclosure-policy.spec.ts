import type { Actor } from './actor';
import {
  disclose,
  maskAccount,
  maskPhone,
  MASKS,
  seesInFull,
  type SensitiveKind,
} from './disclosure-policy';
import { ROLES, type Role } from './roles';

const actor = (
  role: Role,
  organisationId: string | null = null,
  { districtCode = 'D1', villageCode = 'V1' }: { districtCode?: string; villageCode?: string } = {},
): Actor => ({
  id: `user-${role}`,
  username: role,
  displayName: role,
  role,
  organisationId,
  regionCode: null,
  districtCode,
  townCode: null,
  villageCode: role === 'village_verifier' ? villageCode : null,
  acceptanceRole: null,
});

/** An account paid in district D1; a phone on a village notice of V1 (district D1). */
const OWNERS = {
  bankAccount: { organisationId: 'org-2', districtCodes: ['D1'] },
  residentId: {},
  phone: { notice: { kind: 'village', villageCode: 'V1', districtCode: 'D1' } },
} as const;

/** The policy, written out role by role (not read from the code's table). */
const IN_FULL: Record<SensitiveKind, Role[]> = {
  bankAccount: ['admin', 'district_finance'],
  residentId: [],
  phone: ['village_verifier'],
};

describe('disclosure policy', () => {
  it.each(
    ROLES.flatMap((role) =>
      (['bankAccount', 'residentId', 'phone'] as const).map((kind) => [role, kind] as const),
    ),
  )('%s sees a %s in full only where the policy says', (role, kind) => {
    expect(seesInFull(actor(role, 'org-1'), kind, OWNERS[kind])).toBe(IN_FULL[kind].includes(role));
  });

  it('shows a bank account to finance of a district it is paid in only', () => {
    const account = { organisationId: 'org-2', districtCodes: ['D1', 'D3'] };
    expect(seesInFull(actor('district_finance'), 'bankAccount', account)).toBe(true);
    expect(
      seesInFull(actor('district_finance', null, { districtCode: 'D3' }), 'bankAccount', account),
    ).toBe(true);
    expect(
      seesInFull(actor('district_finance', null, { districtCode: 'D2' }), 'bankAccount', account),
    ).toBe(false);
    expect(seesInFull(actor('district_finance'), 'bankAccount', { organisationId: 'org-2' })).toBe(
      false,
    );
    expect(seesInFull(actor('admin'), 'bankAccount', { organisationId: 'org-2' })).toBe(true);
  });

  it("shows a phone to the resolvers of its notice only: the village's verifiers, the district's committee", () => {
    const village = { notice: { kind: 'village', villageCode: 'V1', districtCode: 'D1' } } as const;
    const media = { notice: { kind: 'media', villageCode: null, districtCode: 'D1' } } as const;
    expect(seesInFull(actor('village_verifier'), 'phone', village)).toBe(true);
    expect(
      seesInFull(actor('village_verifier', null, { villageCode: 'V2' }), 'phone', village),
    ).toBe(false);
    expect(seesInFull(actor('district_agri'), 'phone', village)).toBe(false);
    expect(seesInFull(actor('district_agri'), 'phone', media)).toBe(true);
    expect(seesInFull(actor('district_agri', null, { districtCode: 'D2' }), 'phone', media)).toBe(
      false,
    );
    expect(seesInFull(actor('village_verifier'), 'phone', media)).toBe(false);
    expect(seesInFull(actor('district_agri'), 'phone')).toBe(false);
  });

  it("keeps a village notice's phones from anyone else bound to the village, and from a verifier of no village", () => {
    const village = { notice: { kind: 'village', villageCode: 'V1', districtCode: 'D1' } } as const;
    // Only the village's verifiers resolve its objections: an account of another role that
    // happens to be bound to the same village does not.
    for (const role of ROLES.filter((candidate) => candidate !== 'village_verifier'))
      expect([role, seesInFull({ ...actor(role), villageCode: 'V1' }, 'phone', village)]).toEqual([
        role,
        false,
      ]);
    // A notice that names no village is nobody's village: no verifier matches it, not even one
    // with no village either.
    const noVillage = {
      notice: { kind: 'village', villageCode: null, districtCode: 'D1' },
    } as const;
    expect(
      seesInFull({ ...actor('village_verifier'), villageCode: null }, 'phone', noVillage),
    ).toBe(false);
    expect(seesInFull(actor('village_verifier'), 'phone', noVillage)).toBe(false);
  });

  it('shows a cooperative its own bank account, never another organisation’s or an unowned one', () => {
    expect(
      seesInFull(actor('cooperative', 'org-1'), 'bankAccount', { organisationId: 'org-1' }),
    ).toBe(true);
    expect(
      seesInFull(actor('cooperative', 'org-1'), 'bankAccount', { organisationId: 'org-2' }),
    ).toBe(false);
    expect(seesInFull(actor('cooperative', 'org-1'), 'bankAccount')).toBe(false);
    expect(
      seesInFull(actor('cooperative', null), 'bankAccount', { organisationId: undefined }),
    ).toBe(false);
    // Another role whose organisation happens to match still does not see it.
    expect(seesInFull(actor('observer', 'org-1'), 'bankAccount', { organisationId: 'org-1' })).toBe(
      false,
    );
  });

  it('never shows the public anything in full', () => {
    for (const kind of ['bankAccount', 'residentId', 'phone'] as const)
      expect(seesInFull(null, kind)).toBe(false);
    expect(disclose(null, 'bankAccount', '6222000000001234')).toBe('************1234');
  });

  it('discloses in full or masked, with the mask of the kind', () => {
    const finance = actor('district_finance');
    expect(disclose(finance, 'bankAccount', '6222000000001234', OWNERS.bankAccount)).toBe(
      '6222000000001234',
    );
    expect(disclose(actor('observer'), 'bankAccount', '6222000000001234')).toBe('************1234');
    expect(disclose(actor('village_verifier'), 'phone', '13812345678', OWNERS.phone)).toBe(
      '13812345678',
    );
    expect(disclose(actor('observer'), 'phone', '13812345678', OWNERS.phone)).toBe('138****5678');
    expect(disclose(actor('admin'), 'residentId', '341602198001011234')).toBe('341602********1234');
    expect(MASKS.residentId('341602198001011234')).toBe('341602********1234');
  });

  it('masks an account to its last four, and hides nothing more of a short one', () => {
    expect(maskAccount('6222000000001234')).toBe('************1234');
    expect(maskAccount('12345')).toBe('*2345');
    expect(maskAccount('1234')).toBe('1234');
    expect(maskAccount('123')).toBe('123');
    expect(maskAccount('')).toBe('');
  });

  it('masks a phone to its first three and last four digits, and a short one entirely', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('138-1234-5678')).toBe('138****5678');
    expect(maskPhone('12345678')).toBe('123*5678');
    expect(maskPhone('1234567')).toBe('*******');
    expect(maskPhone('12ab')).toBe('**');
    expect(maskPhone('')).toBe('');
  });
});
