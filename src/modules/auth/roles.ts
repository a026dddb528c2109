export const ROLES = [
  'admin',
  'cooperative',
  'village_verifier',
  'town_acceptor',
  'district_agri',
  'district_finance',
  'observer',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles bound to one district through their region (a district code). */
export const DISTRICT_ROLES = [
  'district_agri',
  'district_finance',
  'observer',
] as const satisfies readonly Role[];

/** A town acceptance group member's part in the group (镇验收小组). */
export const ACCEPTANCE_ROLES = [
  'technical_guidance',
  'township_leader',
  'station_head',
  'farmer_supervisor',
] as const;
export type AcceptanceRole = (typeof ACCEPTANCE_ROLES)[number];
