import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether the award's date came from the client (`awardedOn`, the date on the award notice) or is
 * the app's date of the award. A past season is recorded after the fact: its signing date is
 * checked against a date the district gave, never against the day it was typed in. Existing
 * awards cannot tell, so they count as not given (their signing is checked against the opening).
 */
export class AwardDateGiven1795506400000 implements MigrationInterface {
  name = 'AwardDateGiven1795506400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "award" ADD "awarded_on_given" boolean NOT NULL DEFAULT false`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "award" DROP COLUMN "awarded_on_given"`);
  }
}
