import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795500555361 implements MigrationInterface {
  name = 'Initial1795500555361';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_event" ("seq" bigint NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" uuid, "actor_username" character varying(64), "action" character varying(60) NOT NULL, "entity_type" character varying(40) NOT NULL, "entity_id" character varying(64) NOT NULL, "data" jsonb NOT NULL, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "audit_event_pkey" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "organisation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "credit_code" character(18) NOT NULL, "legal_representative" character varying(100) NOT NULL, "grade" character varying(12) NOT NULL, "bank_name" character varying(200) NOT NULL, "bank_account_name" character varying(200) NOT NULL, "bank_account_no" character varying(40) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "organisation_grade_check" CHECK ("grade" IN ('national', 'provincial', 'municipal', 'none')), CONSTRAINT "organisation_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "organisation_credit_code_idx" ON "organisation" ("credit_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "region" ("code" character varying(20) NOT NULL, "name" character varying(100) NOT NULL, "level" character varying(10) NOT NULL, "parent_code" character varying(20), "district_code" character varying(20) NOT NULL, "town_code" character varying(20), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "region_ancestry_check" CHECK (("level" = 'district' AND "parent_code" IS NULL AND "town_code" IS NULL AND "district_code" = "code") OR ("level" = 'town' AND "parent_code" = "district_code" AND "town_code" = "code") OR ("level" = 'village' AND "parent_code" = "town_code" AND "district_code" IS NOT NULL)), CONSTRAINT "region_level_check" CHECK ("level" IN ('district', 'town', 'village')), CONSTRAINT "region_pkey" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "region_district_code_idx" ON "region" ("district_code") `,
    );
    await queryRunner.query(`CREATE INDEX "region_town_code_idx" ON "region" ("town_code") `);
    await queryRunner.query(
      `CREATE TABLE "app_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" character varying(64) NOT NULL, "password_hash" character varying(200) NOT NULL, "display_name" character varying(100) NOT NULL, "role" character varying(20) NOT NULL, "organisation_id" uuid, "region_code" character varying(20), "acceptance_role" character varying(30), "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "app_user_region_check" CHECK (("role" IN ('admin', 'cooperative')) = ("region_code" IS NULL)), CONSTRAINT "app_user_acceptance_role_check" CHECK (("role" = 'town_acceptor') = ("acceptance_role" IS NOT NULL)), CONSTRAINT "app_user_organisation_check" CHECK (("role" = 'cooperative') = ("organisation_id" IS NOT NULL)), CONSTRAINT "app_user_role_check" CHECK ("role" IN ('admin', 'cooperative', 'village_verifier', 'town_acceptor', 'district_agri', 'district_finance', 'observer')), CONSTRAINT "app_user_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "app_user_username_idx" ON "app_user" ("username") `,
    );
    await queryRunner.query(
      `CREATE INDEX "app_user_organisation_id_idx" ON "app_user" ("organisation_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "app_user_region_code_idx" ON "app_user" ("region_code") `,
    );
    await queryRunner.query(
      `ALTER TABLE "region" ADD CONSTRAINT "region_parent_code_fkey" FOREIGN KEY ("parent_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "app_user" ADD CONSTRAINT "app_user_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "app_user" ADD CONSTRAINT "app_user_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // The audit log is append-only: no UPDATE, DELETE or TRUNCATE, whoever asks.
    await queryRunner.query(
      `CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON "audit_event" FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON "audit_event" FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_event_no_truncate ON "audit_event"`);
    await queryRunner.query(`DROP TRIGGER audit_event_no_change ON "audit_event"`);
    await queryRunner.query(`DROP FUNCTION audit_event_append_only()`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP CONSTRAINT "app_user_region_code_fkey"`);
    await queryRunner.query(
      `ALTER TABLE "app_user" DROP CONSTRAINT "app_user_organisation_id_fkey"`,
    );
    await queryRunner.query(`ALTER TABLE "region" DROP CONSTRAINT "region_parent_code_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."app_user_region_code_idx"`);
    await queryRunner.query(`DROP INDEX "public"."app_user_organisation_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."app_user_username_idx"`);
    await queryRunner.query(`DROP TABLE "app_user"`);
    await queryRunner.query(`DROP INDEX "public"."region_town_code_idx"`);
    await queryRunner.query(`DROP INDEX "public"."region_district_code_idx"`);
    await queryRunner.query(`DROP TABLE "region"`);
    await queryRunner.query(`DROP INDEX "public"."organisation_credit_code_idx"`);
    await queryRunner.query(`DROP TABLE "organisation"`);
    await queryRunner.query(`DROP TABLE "audit_event"`);
  }
}
