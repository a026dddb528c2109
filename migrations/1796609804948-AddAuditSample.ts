import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The district audit by sample (issue 24). A policy may set its `auditSample` (rate and tolerance
 * in hundredths of a percent, all three or none). A contract's sample is drawn once (one row per
 * contract), its rows are the register rows drawn, each visited at most once (a unique key under
 * the machine's own rule, so that two racing visits can never both be stored); a visit's photos
 * are content-addressed files. The village's assessment (评价) is kept with the notice of the
 * verification it came with.
 */
export class AddAuditSample1796609804948 implements MigrationInterface {
  name = 'AddAuditSample1796609804948';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "subsidy_policy" ADD "audit_sample_rate_basis_points" integer, ADD "audit_sample_min_per_village" integer, ADD "audit_sample_tolerance_basis_points" integer`,
    );
    await queryRunner.query(
      `ALTER TABLE "subsidy_policy" ADD CONSTRAINT "subsidy_policy_audit_sample_check" CHECK (("audit_sample_rate_basis_points" IS NULL AND "audit_sample_min_per_village" IS NULL AND "audit_sample_tolerance_basis_points" IS NULL) OR ("audit_sample_rate_basis_points" > 0 AND "audit_sample_rate_basis_points" <= 10000 AND "audit_sample_min_per_village" BETWEEN 0 AND 1000 AND "audit_sample_tolerance_basis_points" BETWEEN 0 AND 10000))`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_sample" ("id" uuid NOT NULL, "contract_id" uuid NOT NULL, "seed" character(64) NOT NULL, "chain" character varying(20) NOT NULL, "chain_seq" bigint, "chain_hash" character(64) NOT NULL, "rate_basis_points" integer NOT NULL, "min_per_village" integer NOT NULL, "tolerance_basis_points" integer NOT NULL, "drawn_at" TIMESTAMP WITH TIME ZONE NOT NULL, "drawn_by" uuid NOT NULL, CONSTRAINT "audit_sample_contract_id_key" UNIQUE ("contract_id"), CONSTRAINT "audit_sample_pkey" PRIMARY KEY ("id"), CONSTRAINT "audit_sample_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contract"("id") ON DELETE RESTRICT)`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_sample_row" ("sample_id" uuid NOT NULL, "register_row_id" uuid NOT NULL, "position" integer NOT NULL, "row_no" integer NOT NULL, "task_code" character varying(20) NOT NULL, "village_code" character varying(20) NOT NULL, "verified_area" integer NOT NULL, CONSTRAINT "audit_sample_row_pkey" PRIMARY KEY ("sample_id", "register_row_id"), CONSTRAINT "audit_sample_row_sample_id_fkey" FOREIGN KEY ("sample_id") REFERENCES "audit_sample"("id") ON DELETE CASCADE, CONSTRAINT "audit_sample_row_register_row_id_fkey" FOREIGN KEY ("register_row_id") REFERENCES "register_row"("id") ON DELETE RESTRICT)`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_visit" ("id" uuid NOT NULL, "sample_id" uuid NOT NULL, "register_row_id" uuid NOT NULL, "visited_on" date NOT NULL, "method" character varying(10) NOT NULL, "household_confirms" boolean NOT NULL, "observed_area" integer NOT NULL, "satisfaction" character varying(12), "note" character varying(2000), "recorded_by" uuid NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "audit_visit_pkey" PRIMARY KEY ("id"), CONSTRAINT "audit_visit_row_key" UNIQUE ("sample_id", "register_row_id"), CONSTRAINT "audit_visit_method_check" CHECK ("method" IN ('household', 'field', 'phone')), CONSTRAINT "audit_visit_satisfaction_check" CHECK ("satisfaction" IS NULL OR "satisfaction" IN ('satisfied', 'neutral', 'dissatisfied')), CONSTRAINT "audit_visit_observed_area_check" CHECK ("observed_area" >= 0), CONSTRAINT "audit_visit_row_fkey" FOREIGN KEY ("sample_id", "register_row_id") REFERENCES "audit_sample_row"("sample_id", "register_row_id") ON DELETE RESTRICT)`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_visit_photo" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "visit_id" uuid NOT NULL, "sha256" character(64) NOT NULL, "size" bigint NOT NULL, "content_type" character varying(20) NOT NULL, "file_name" character varying(255) NOT NULL, "taken_at" TIMESTAMP WITH TIME ZONE, "latitude" numeric(9,6), "longitude" numeric(10,6), "uploaded_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "audit_visit_photo_pkey" PRIMARY KEY ("id"), CONSTRAINT "audit_visit_photo_visit_id_fkey" FOREIGN KEY ("visit_id") REFERENCES "audit_visit"("id") ON DELETE RESTRICT)`,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_visit_photo_visit_id_idx" ON "audit_visit_photo" ("visit_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "village_assessment" ("notice_id" uuid NOT NULL, "contract_id" uuid NOT NULL, "task_code" character varying(20) NOT NULL, "village_code" character varying(20) NOT NULL, "quality" character varying(4) NOT NULL, "note" character varying(2000), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "village_assessment_pkey" PRIMARY KEY ("notice_id"), CONSTRAINT "village_assessment_quality_check" CHECK ("quality" IN ('good', 'fair', 'poor')), CONSTRAINT "village_assessment_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contract"("id") ON DELETE CASCADE)`,
    );
    await queryRunner.query(
      `CREATE INDEX "village_assessment_contract_idx" ON "village_assessment" ("contract_id", "task_code", "village_code")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "village_assessment"`);
    await queryRunner.query(`DROP TABLE "audit_visit_photo"`);
    await queryRunner.query(`DROP TABLE "audit_visit"`);
    await queryRunner.query(`DROP TABLE "audit_sample_row"`);
    await queryRunner.query(`DROP TABLE "audit_sample"`);
    await queryRunner.query(
      `ALTER TABLE "subsidy_policy" DROP CONSTRAINT "subsidy_policy_audit_sample_check", DROP COLUMN "audit_sample_tolerance_basis_points", DROP COLUMN "audit_sample_min_per_village", DROP COLUMN "audit_sample_rate_basis_points"`,
    );
  }
}
