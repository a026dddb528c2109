import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddLifecycleNoticesTimers1795502141825 implements MigrationInterface {
  name = 'AddLifecycleNoticesTimers1795502141825';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "app_clock" ("id" smallint NOT NULL, "offset_ms" bigint NOT NULL, CONSTRAINT "app_clock_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "contract_village_part" ("contract_id" uuid NOT NULL, "task_code" character varying(20) NOT NULL, "village_code" character varying(20) NOT NULL, "state" character varying(24) NOT NULL, "claimed_area" integer NOT NULL, "verified_area" integer, "accepted_area" integer, "notice_id" uuid, CONSTRAINT "contract_village_part_pkey" PRIMARY KEY ("contract_id", "task_code", "village_code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "register_row" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "contract_id" uuid NOT NULL, "project_id" uuid NOT NULL, "row_no" integer NOT NULL, "village_code" character varying(20) NOT NULL, "household_name" character varying(100) NOT NULL, "household_id_no" character(18) NOT NULL, "plot_code" character varying(60) NOT NULL, "task_code" character varying(20) NOT NULL, "area" integer NOT NULL, "verified_area" integer, "work_date" date NOT NULL, "machine_no" character varying(40) NOT NULL, "operator_name" character varying(100) NOT NULL, "town_cadre_signed" character varying(100) NOT NULL, "village_cadre_signed" character varying(100) NOT NULL, "operator_signed" character varying(100) NOT NULL, "farmer_signed" character varying(100) NOT NULL, "state" character varying(12) NOT NULL DEFAULT 'working', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "register_row_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "register_row_contract_task_village_idx" ON "register_row" ("contract_id", "task_code", "village_code") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "register_row_project_plot_task_key" ON "register_row" ("project_id", "plot_code", "task_code") WHERE "state" <> 'withdrawn'`,
    );
    await queryRunner.query(
      `CREATE TABLE "notice" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(10) NOT NULL, "contract_id" uuid NOT NULL, "task_code" character varying(20), "village_code" character varying(20), "district_code" character varying(20) NOT NULL, "title" character varying(300) NOT NULL, "media_name" character varying(200), "published_on" date, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "state" character varying(12) NOT NULL DEFAULT 'running', "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "notice_state_check" CHECK ("state" IN ('running', 'cleared', 'superseded')), CONSTRAINT "notice_kind_check" CHECK ("kind" IN ('village', 'media')), CONSTRAINT "notice_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "notice_contract_id_idx" ON "notice" ("contract_id") `);
    await queryRunner.query(`CREATE INDEX "notice_state_idx" ON "notice" ("state") `);
    await queryRunner.query(
      `CREATE TABLE "objection" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "notice_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "phone" character varying(30) NOT NULL, "text" character varying(2000) NOT NULL, "register_row_id" uuid, "state" character varying(10) NOT NULL DEFAULT 'open', "resolution_note" character varying(2000), "resolved_by" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "objection_state_check" CHECK ("state" IN ('open', 'dismissed', 'upheld')), CONSTRAINT "objection_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "objection_notice_id_idx" ON "objection" ("notice_id") `);
    await queryRunner.query(
      `CREATE TABLE "timer" ("id" BIGSERIAL NOT NULL, "kind" character varying(30) NOT NULL, "contract_id" uuid NOT NULL, "notice_id" uuid NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "fired_at" TIMESTAMP WITH TIME ZONE, "outcome" character varying(300), CONSTRAINT "timer_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "timer_due_idx" ON "timer" ("due_at") WHERE "fired_at" IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE "contract" ADD "snapshot" jsonb`);
    await queryRunner.query(
      `ALTER TABLE "contract" ADD "machine_version" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "contract_village_part" ADD CONSTRAINT "contract_village_part_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contract"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "register_row" ADD CONSTRAINT "register_row_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contract"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "notice" ADD CONSTRAINT "notice_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contract"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "objection" ADD CONSTRAINT "objection_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "notice"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "objection" DROP CONSTRAINT "objection_notice_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "notice" DROP CONSTRAINT "notice_contract_id_fkey"`);
    await queryRunner.query(
      `ALTER TABLE "register_row" DROP CONSTRAINT "register_row_contract_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "contract_village_part" DROP CONSTRAINT "contract_village_part_contract_id_fkey"`,
    );
    await queryRunner.query(`ALTER TABLE "contract" DROP COLUMN "machine_version"`);
    await queryRunner.query(`ALTER TABLE "contract" DROP COLUMN "snapshot"`);
    await queryRunner.query(`DROP INDEX "public"."timer_due_idx"`);
    await queryRunner.query(`DROP TABLE "timer"`);
    await queryRunner.query(`DROP INDEX "public"."objection_notice_id_idx"`);
    await queryRunner.query(`DROP TABLE "objection"`);
    await queryRunner.query(`DROP INDEX "public"."notice_state_idx"`);
    await queryRunner.query(`DROP INDEX "public"."notice_contract_id_idx"`);
    await queryRunner.query(`DROP TABLE "notice"`);
    await queryRunner.query(`DROP INDEX "public"."register_row_project_plot_task_key"`);
    await queryRunner.query(`DROP INDEX "public"."register_row_contract_task_village_idx"`);
    await queryRunner.query(`DROP TABLE "register_row"`);
    await queryRunner.query(`DROP TABLE "contract_village_part"`);
    await queryRunner.query(`DROP TABLE "app_clock"`);
  }
}
