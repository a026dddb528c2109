import type { SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../auth/actor';
import type { ScopeTarget } from '../auth/scope-policy';
import type { Contract } from './contract.entity';

/** A contract lies in its district, its lot's villages and towns, and its organisation. */
export function contractScope(contract: Contract): ScopeTarget {
  const villages = contract.villages ?? [];
  return {
    districtCodes: [contract.districtCode],
    townCodes: [...new Set(villages.map((village) => village.townCode))],
    villageCodes: villages.map((village) => village.villageCode),
    organisationIds: [contract.organisationId],
  };
}

/** The same rule as {@link contractScope}, as SQL on a query over `contract` aliased `alias`. */
export function scopeContracts<T extends object>(
  actor: Actor,
  builder: SelectQueryBuilder<T>,
  alias: string,
): void {
  switch (actor.role) {
    case 'admin':
      return;
    case 'district_agri':
    case 'district_finance':
    case 'observer':
      builder.andWhere(`${alias}.district_code = :scopeDistrict`, {
        scopeDistrict: actor.districtCode,
      });
      return;
    case 'town_acceptor':
      builder.andWhere(
        `EXISTS (SELECT 1 FROM contract_village cv WHERE cv.contract_id = ${alias}.id AND cv.town_code = :scopeTown)`,
        { scopeTown: actor.townCode },
      );
      return;
    case 'village_verifier':
      builder.andWhere(
        `EXISTS (SELECT 1 FROM contract_village cv WHERE cv.contract_id = ${alias}.id AND cv.village_code = :scopeVillage)`,
        { scopeVillage: actor.villageCode },
      );
      return;
    case 'cooperative':
      builder.andWhere(`${alias}.organisation_id = :scopeOrganisation`, {
        scopeOrganisation: actor.organisationId,
      });
      return;
  }
}
