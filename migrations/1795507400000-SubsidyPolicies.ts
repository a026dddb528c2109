import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Subsidy policies and the provider directory (issue 15). A policy is effective-dated per
 * district; two of one district never in force on the same day (an exclusion constraint over
 * the closed date range, so two racing creations cannot both pass). A contract pins the policy
 * in force on its project's `serviceStart` at the award (`contract.policy_id`); each task line
 * keeps its subsidy per mu (the unit price for every contract before policies, the 2014 rule);
 * the contract records what an organisation's cap cut. Directory listings and blacklist entries
 * record the district that made them and count everywhere.
 */
export class SubsidyPolicies1795507400000 implements MigrationInterface {
  name = 'SubsidyPolicies1795507400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await queryRunner.query(
      `CREATE TABLE "subsidy_policy" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(40) NOT NULL, "name" character varying(200) NOT NULL, "district_code" character varying(20) NOT NULL, "effective_from" date NOT NULL, "effective_to" date, "share_basis_points" integer NOT NULL, "cap_per_mu_fen" bigint, "cap_per_organisation_fen" bigint, "require_directory_listing" boolean NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "subsidy_policy_code_key" UNIQUE ("code"), CONSTRAINT "subsidy_policy_share_check" CHECK ("share_basis_points" > 0 AND "share_basis_points" <= 10000), CONSTRAINT "subsidy_policy_caps_check" CHECK (("cap_per_mu_fen" IS NULL OR "cap_per_mu_fen" >= 0) AND ("cap_per_organisation_fen" IS NULL OR "cap_per_organisation_fen" >= 0)), CONSTRAINT "subsidy_policy_dates_check" CHECK ("effective_to" IS NULL OR "effective_to" >= "effective_from"), CONSTRAINT "subsidy_policy_no_overlap" EXCLUDE USING gist ("district_code" WITH =, daterange("effective_from", "effective_to", '[]') WITH &&), CONSTRAINT "subsidy_policy_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "subsidy_policy" ADD CONSTRAINT "subsidy_policy_district_code_fkey" FOREIGN KEY ("district_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    await queryRunner.query(`ALTER TABLE "contract" ADD "policy_id" uuid`);
    await queryRunner.query(`ALTER TABLE "contract" ADD "cap_cut_fen" bigint`);
    await queryRunner.query(
      `ALTER TABLE "contract" ADD CONSTRAINT "contract_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "subsidy_policy"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // The cap's sum: one organisation's subsidies under one policy.
    await queryRunner.query(
      `CREATE INDEX "contract_policy_organisation_idx" ON "contract" ("policy_id", "organisation_id") WHERE "policy_id" IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "contract_task_line" ADD "subsidy_per_mu_fen" integer`);
    await queryRunner.query(
      `UPDATE "contract_task_line" SET "subsidy_per_mu_fen" = "unit_price_fen"`,
    );
    await queryRunner.query(
      `ALTER TABLE "contract_task_line" ALTER COLUMN "subsidy_per_mu_fen" SET NOT NULL`,
    );

    await queryRunner.query(
      `CREATE TABLE "organisation_listing" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "listed_on" date NOT NULL, "listed_until" date, "district_code" character varying(20), "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "organisation_listing_dates_check" CHECK ("listed_until" IS NULL OR "listed_until" >= "listed_on"), CONSTRAINT "organisation_listing_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "organisation_blacklist" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "reason" character varying(2000) NOT NULL, "from_on" date NOT NULL, "until_on" date NOT NULL, "district_code" character varying(20), "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "organisation_blacklist_dates_check" CHECK ("until_on" >= "from_on"), CONSTRAINT "organisation_blacklist_pkey" PRIMARY KEY ("id"))`,
    );
    for (const table of ['organisation_listing', 'organisation_blacklist']) {
      await queryRunner.query(
        `CREATE INDEX "${table}_organisation_id_idx" ON "${table}" ("organisation_id")`,
      );
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${table}_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "organisation_blacklist"`);
    await queryRunner.query(`DROP TABLE "organisation_listing"`);
    await queryRunner.query(`ALTER TABLE "contract_task_line" DROP COLUMN "subsidy_per_mu_fen"`);
    await queryRunner.query(`DROP INDEX "contract_policy_organisation_idx"`);
    await queryRunner.query(`ALTER TABLE "contract" DROP CONSTRAINT "contract_policy_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "contract" DROP COLUMN "cap_cut_fen"`);
    await queryRunner.query(`ALTER TABLE "contract" DROP COLUMN "policy_id"`);
    await queryRunner.query(`DROP TABLE "subsidy_policy"`);
  }
}
