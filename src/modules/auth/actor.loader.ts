import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { User } from '../users/user.entity';
import type { Actor } from './actor';

/** Loads the caller with its region's ancestors in one query. */
@Injectable()
export class ActorLoader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async load(userId: string): Promise<Actor | null> {
    const user = await this.dataSource
      .getRepository(User)
      .findOne({ where: { id: userId, active: true }, relations: { region: true } });
    if (!user) return null;
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
}
