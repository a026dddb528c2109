import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts (issue 25): a temporary password set by an admin must be changed at first use
 * (`must_change_password`), and a password change, a reset or a deactivation ends every session
 * the user has: each token carries the `token_version` it was issued under, and the access guard
 * refuses a token of an older version.
 */
export class AddUserSessionColumns1796609624716 implements MigrationInterface {
  name = 'AddUserSessionColumns1796609624716';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "app_user" ADD "must_change_password" boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(
      `ALTER TABLE "app_user" ADD "token_version" integer NOT NULL DEFAULT 0`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "app_user" DROP COLUMN "token_version"`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP COLUMN "must_change_password"`);
  }
}
