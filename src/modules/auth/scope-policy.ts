import type { Entity } from '../../common/i18n/messages.zh';
import { notFound } from '../../common/errors/domain-error';
import type { Actor } from './actor';

/**
 * Where an object lies, in the terms scopes are made of. Modules describe their objects with
 * this, and every read and write goes through {@link assertInScope}, so that an object outside
 * the caller's scope answers 404 and does not reveal that it exists.
 */
export interface ScopeTarget {
  districtCodes: readonly string[];
  townCodes?: readonly string[];
  villageCodes?: readonly string[];
  organisationIds?: readonly string[];
}

/** Is the target inside the actor's scope (organisation, village, town or district)? */
export function inScope(actor: Actor, target: ScopeTarget): boolean {
  switch (actor.role) {
    case 'admin':
      return true;
    case 'district_agri':
    case 'district_finance':
    case 'observer':
      return actor.districtCode !== null && target.districtCodes.includes(actor.districtCode);
    case 'town_acceptor':
      return actor.townCode !== null && (target.townCodes ?? []).includes(actor.townCode);
    case 'village_verifier':
      return actor.villageCode !== null && (target.villageCodes ?? []).includes(actor.villageCode);
    case 'cooperative':
      return (
        actor.organisationId !== null &&
        (target.organisationIds ?? []).includes(actor.organisationId)
      );
  }
}

export function assertInScope(actor: Actor, target: ScopeTarget, what: Entity, id: string): void {
  if (!inScope(actor, target)) throw notFound(what, id);
}
