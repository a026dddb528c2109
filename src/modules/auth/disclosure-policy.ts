import { MASKS, type SensitiveKind } from '../../common/values/masks';
import type { Actor } from './actor';

export { MASKS, maskAccount, maskPhone, type SensitiveKind } from '../../common/values/masks';

/**
 * What a value belongs to. A bank account: its organisation and the districts it is paid in
 * (where the organisation holds contracts; for a payout, its contract's district). A phone: the
 * notice the objection was filed on.
 */
export interface Owner {
  organisationId?: string;
  districtCodes?: readonly string[];
  notice?: { kind: 'village' | 'media'; villageCode: string | null; districtCode: string };
}

/** `null`: the public (no login: the notice board, the public routes), and every log line. */
export type Viewer = Actor | null;

/**
 * Who sees each kind in full. This table is the whole policy: JSON responses, PDFs, exports,
 * HTML pages and logs all ask it, so a rule changes in one place.
 * - a bank account: the finance bureau of a district the organisation is paid in (it pays; a
 *   finance bureau of another district has no business with the account), the administrator,
 *   the organisation itself;
 * - a resident ID number: nobody — the full number stays in the database (for the duplicate
 *   check) and in the uploaded file; api.md masks it in the register list too;
 * - an objector's phone: those who resolve the objection and may need to call back: the village
 *   verifiers of that village for a village notice, the agriculture committee of that district
 *   for a media notice. Nobody else (the committee sees village notices' phones masked).
 */
const IN_FULL: Record<SensitiveKind, (viewer: Actor, owner: Owner) => boolean> = {
  bankAccount: (viewer, owner) =>
    viewer.role === 'admin' ||
    (viewer.role === 'district_finance' &&
      viewer.districtCode !== null &&
      (owner.districtCodes ?? []).includes(viewer.districtCode)) ||
    (viewer.role === 'cooperative' &&
      owner.organisationId !== undefined &&
      viewer.organisationId === owner.organisationId),
  residentId: () => false,
  phone: (viewer, { notice }) =>
    notice !== undefined &&
    (notice.kind === 'village'
      ? viewer.role === 'village_verifier' &&
        notice.villageCode !== null &&
        viewer.villageCode === notice.villageCode
      : viewer.role === 'district_agri' && viewer.districtCode === notice.districtCode),
};

export function seesInFull(viewer: Viewer, kind: SensitiveKind, owner: Owner = {}): boolean {
  return viewer !== null && IN_FULL[kind](viewer, owner);
}

/** The value as this viewer may see it: in full, or masked. */
export function disclose(
  viewer: Viewer,
  kind: SensitiveKind,
  value: string,
  owner: Owner = {},
): string {
  return seesInFull(viewer, kind, owner) ? value : MASKS[kind](value);
}
