import type { AcceptanceRole, Role } from './roles';

/** The authenticated caller, loaded fresh from the database on every request. */
export interface Actor {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  organisationId: string | null;
  /** The region the role is bound to (village, town or district), with its ancestors. */
  regionCode: string | null;
  districtCode: string | null;
  townCode: string | null;
  villageCode: string | null;
  acceptanceRole: AcceptanceRole | null;
}
