import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAcceptanceAuditPayouts1795504430486 implements MigrationInterface {
  name = 'AddAcceptanceAuditPayouts1795504430486';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "acceptance_record" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "contract_id" uuid NOT NULL, "task_code" character varying(20) NOT NULL, "revision" integer NOT NULL, "state" character varying(12) NOT NULL DEFAULT 'open', "villages" jsonb NOT NULL, "note" character varying(2000), "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "acceptance_record_contract_id_task_code_revision_key" UNIQUE ("contract_id", "task_code", "revision"), CONSTRAINT "acceptance_record_state_check" CHECK ("state" IN ('open', 'failed', 'complete', 'superseded')), CONSTRAINT "acceptance_record_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "acceptance_record_contract_id_idx" ON "acceptance_record" ("contract_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "acceptance_signature" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "record_id" uuid NOT NULL, "user_id" uuid NOT NULL, "username" character varying(64) NOT NULL, "display_name" character varying(100) NOT NULL, "acceptance_role" character varying(30) NOT NULL, "decision" character varying(4) NOT NULL, "note" character varying(2000), "signed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "acceptance_signature_record_id_user_id_key" UNIQUE ("record_id", "user_id"), CONSTRAINT "acceptance_signature_decision_check" CHECK ("decision" IN ('pass', 'fail')), CONSTRAINT "acceptance_signature_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "acceptance_signature_record_id_idx" ON "acceptance_signature" ("record_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "payout" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "contract_id" uuid NOT NULL, "district_code" character varying(20) NOT NULL, "amount_fen" bigint NOT NULL, "state" character varying(10) NOT NULL, "payee_name" character varying(200) NOT NULL, "bank_name" character varying(200) NOT NULL, "bank_account_name" character varying(200) NOT NULL, "bank_account_no" character varying(40) NOT NULL, "idempotency_key" character varying(200) NOT NULL, "issued_by" uuid NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "bank_reference" character varying(100), "confirmed_at" TIMESTAMP WITH TIME ZONE, "failure_reason" character varying(2000), "failed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "payout_amount_check" CHECK ("amount_fen" > 0), CONSTRAINT "payout_state_check" CHECK ("state" IN ('issued', 'confirmed', 'failed')), CONSTRAINT "payout_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "payout_district_code_idx" ON "payout" ("district_code") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "payout_live_contract_key" ON "payout" ("contract_id") WHERE "state" IN ('issued', 'confirmed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "idempotency_key" ("scope" character varying(100) NOT NULL, "key" character varying(200) NOT NULL, "request_sha256" character(64) NOT NULL, "response_status" integer NOT NULL, "response_body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "idempotency_key_pkey" PRIMARY KEY ("scope", "key"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "acceptance_record" ADD CONSTRAINT "acceptance_record_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contract"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "acceptance_signature" ADD CONSTRAINT "acceptance_signature_record_id_fkey" FOREIGN KEY ("record_id") REFERENCES "acceptance_record"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "payout" ADD CONSTRAINT "payout_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contract"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "payout" DROP CONSTRAINT "payout_contract_id_fkey"`);
    await queryRunner.query(
      `ALTER TABLE "acceptance_signature" DROP CONSTRAINT "acceptance_signature_record_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "acceptance_record" DROP CONSTRAINT "acceptance_record_contract_id_fkey"`,
    );
    await queryRunner.query(`DROP TABLE "idempotency_key"`);
    await queryRunner.query(`DROP INDEX "public"."payout_live_contract_key"`);
    await queryRunner.query(`DROP INDEX "public"."payout_district_code_idx"`);
    await queryRunner.query(`DROP TABLE "payout"`);
    await queryRunner.query(`DROP INDEX "public"."acceptance_signature_record_id_idx"`);
    await queryRunner.query(`DROP TABLE "acceptance_signature"`);
    await queryRunner.query(`DROP INDEX "public"."acceptance_record_contract_id_idx"`);
    await queryRunner.query(`DROP TABLE "acceptance_record"`);
  }
}
