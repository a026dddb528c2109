import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A timer whose event fails (not a refusal by the machine: an error) is tried again later, with
 * its attempts and last error kept, instead of stopping the scheduler run: before, one such timer
 * was claimed first on every run (oldest due) and held back every timer after it.
 */
export class TimerRetries1795506300000 implements MigrationInterface {
  name = 'TimerRetries1795506300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "timer" ADD "attempts" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "timer" ADD "retry_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "timer" ADD "last_error" character varying(500)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "timer" DROP COLUMN "last_error"`);
    await queryRunner.query(`ALTER TABLE "timer" DROP COLUMN "retry_at"`);
    await queryRunner.query(`ALTER TABLE "timer" DROP COLUMN "attempts"`);
  }
}
