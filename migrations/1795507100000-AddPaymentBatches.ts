import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payment batches (issue 14): the finance bureau sends issued payouts to the bank in a numbered
 * batch and records the bank's result file. Every payout gets a payout number (拨付单号), the key
 * the bank echoes; existing payouts are numbered in the order they were issued. A payout is in at
 * most one batch (`payment_batch_payout_payout_id_key`: two batches racing for a payout, one
 * wins). A result file's answer is kept by its SHA-256, so the same file again answers the same.
 */
export class AddPaymentBatches1795507100000 implements MigrationInterface {
  name = 'AddPaymentBatches1795507100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE "payout_no_seq"`);
    await queryRunner.query(`ALTER TABLE "payout" ADD "payout_no" character varying(40)`);
    await queryRunner.query(
      `UPDATE "payout" p SET "payout_no" = 'BF' || p."district_code" || '-' || lpad(o.n::text, 8, '0')
         FROM (SELECT "id", row_number() OVER (ORDER BY "issued_at", "id") AS n FROM "payout") o
        WHERE o."id" = p."id"`,
    );
    await queryRunner.query(
      `SELECT setval('payout_no_seq', (SELECT count(*) FROM "payout") + 1, false)`,
    );
    await queryRunner.query(`ALTER TABLE "payout" ALTER COLUMN "payout_no" SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "payout" ADD CONSTRAINT "payout_payout_no_key" UNIQUE ("payout_no")`,
    );

    await queryRunner.query(`CREATE SEQUENCE "payment_batch_no_seq"`);
    await queryRunner.query(
      `CREATE TABLE "payment_batch" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "batch_no" character varying(40) NOT NULL, "district_code" character varying(20) NOT NULL, "state" character varying(12) NOT NULL DEFAULT 'sent', "count" integer NOT NULL, "total_fen" bigint NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "reconciled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "payment_batch_batch_no_key" UNIQUE ("batch_no"), CONSTRAINT "payment_batch_state_check" CHECK ("state" IN ('sent', 'reconciled')), CONSTRAINT "payment_batch_count_check" CHECK ("count" > 0), CONSTRAINT "payment_batch_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "payment_batch_district_code_idx" ON "payment_batch" ("district_code")`,
    );
    await queryRunner.query(
      `CREATE TABLE "payment_batch_payout" ("batch_id" uuid NOT NULL, "payout_id" uuid NOT NULL, CONSTRAINT "payment_batch_payout_payout_id_key" UNIQUE ("payout_id"), CONSTRAINT "payment_batch_payout_pkey" PRIMARY KEY ("batch_id", "payout_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "payment_batch_payout" ADD CONSTRAINT "payment_batch_payout_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "payment_batch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "payment_batch_payout" ADD CONSTRAINT "payment_batch_payout_payout_id_fkey" FOREIGN KEY ("payout_id") REFERENCES "payout"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE TABLE "payment_batch_result" ("batch_id" uuid NOT NULL, "file_sha256" character(64) NOT NULL, "uploaded_by" uuid NOT NULL, "uploaded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "response_body" text NOT NULL, CONSTRAINT "payment_batch_result_pkey" PRIMARY KEY ("batch_id", "file_sha256"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "payment_batch_result" ADD CONSTRAINT "payment_batch_result_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "payment_batch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "payment_batch_result"`);
    await queryRunner.query(`DROP TABLE "payment_batch_payout"`);
    await queryRunner.query(`DROP TABLE "payment_batch"`);
    await queryRunner.query(`DROP SEQUENCE "payment_batch_no_seq"`);
    await queryRunner.query(`ALTER TABLE "payout" DROP CONSTRAINT "payout_payout_no_key"`);
    await queryRunner.query(`ALTER TABLE "payout" DROP COLUMN "payout_no"`);
    await queryRunner.query(`DROP SEQUENCE "payout_no_seq"`);
  }
}
