import type { Entity } from '../../common/i18n/messages.zh';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { notFound } from '../../common/errors/domain-error';
import type { Actor } from '../auth/actor';
import { assertInScope, type ScopeTarget } from '../auth/scope-policy';
import { Contract, ContractVillage } from './contract.entity';

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

/**
 * The contract with its villages, optionally with its row locked for the rest of the
 * transaction, if the actor may see it; otherwise NOT_FOUND, named as `what` (a payout's
 * contract answers "Payout … was not found").
 */
export async function loadContractInScope(
  manager: EntityManager,
  actor: Actor,
  contractId: string,
  options: { lock?: boolean; what?: Entity; id?: string } = {},
): Promise<Contract> {
  const contract = await manager.findOne(Contract, {
    where: { id: contractId },
    ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!contract) throw notFound(options.what ?? 'Contract', options.id ?? contractId);
  contract.villages = await manager.findBy(ContractVillage, { contractId });
  assertInScope(
    actor,
    contractScope(contract),
    options.what ?? 'Contract',
    options.id ?? contractId,
  );
  return contract;
}
