import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { User } from '../users/user.entity';
import type { Actor } from './actor';

/** An active user's actor with what the access guard checks of its token. */
export interface ActorSession {
  actor: Actor;
  /** A token of another version is from before a password change, a reset or a deactivation. */
  tokenVersion: number;
  mustChangePassword: boolean;
}

/** Loads the caller with its region's ancestors in one query. */
@Injectable()
export class ActorLoader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async load(userId: string): Promise<Actor | null> {
    return (await this.loadSession(userId))?.actor ?? null;
  }

  /** The active user with its token version; `null` for an unknown or deactivated user. */
  async loadSession(userId: string): Promise<ActorSession | null> {
    const user = await this.dataSource
      .getRepository(User)
      .findOne({ where: { id: userId, active: true }, relations: { region: true } });
    if (!user) return null;
    return {
      actor: actorOf(user),
      tokenVersion: user.tokenVersion,
      mustChangePassword: user.mustChangePassword,
    };
  }
}

function actorOf(user: User): Actor {
  const region = user.region ?? null;
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    organisationId: user.organisationId,
    regionCode: user.regionCode,
    districtCode: region?.districtCode ?? null,
    townCode: region?.townCode ?? null,
    villageCode: region?.level === 'village' ? region.code : null,
    acceptanceRole: user.acceptanceRole,
  };
}
