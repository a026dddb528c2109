import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payment batch numbers count per district and year without gaps (issue 22): one global
 * sequence shared every district's batches and skipped a number at every rolled-back batch. A
 * counter row per (district, year) is incremented in the batch's own transaction: a batch that
 * rolls back gives its number back, and two batches of one district wait on the row, in turn.
 * Batches made before keep their numbers (`PB<district>-<6 digits>`); the new ones read
 * `PB<district>-<year>-<4 digits>`, so the two never collide. The year is the app's (Asia/
 * Shanghai) year at the batch's creation.
 */
export class BatchNumbersPerDistrictYear1796611328912 implements MigrationInterface {
  name = 'BatchNumbersPerDistrictYear1796611328912';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "payment_batch_counter" ("district_code" character varying(20) NOT NULL, "year" integer NOT NULL, "last_no" integer NOT NULL, CONSTRAINT "payment_batch_counter_last_no_check" CHECK ("last_no" > 0), CONSTRAINT "payment_batch_counter_pkey" PRIMARY KEY ("district_code", "year"))`,
    );
    await queryRunner.query(`DROP SEQUENCE "payment_batch_no_seq"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const [{ next }] = (await queryRunner.query(
      `SELECT count(*)::int + 1 AS next FROM payment_batch`,
    )) as { next: number }[];
    await queryRunner.query(`CREATE SEQUENCE "payment_batch_no_seq" START ${next}`);
    await queryRunner.query(`DROP TABLE "payment_batch_counter"`);
  }
}
