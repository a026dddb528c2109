import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddProjectsTendersContracts1795501450112 implements MigrationInterface {
  name = 'AddProjectsTendersContracts1795501450112';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "project" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(40) NOT NULL, "name" character varying(200) NOT NULL, "year" integer NOT NULL, "district_code" character varying(20) NOT NULL, "service_start" date NOT NULL, "service_end" date NOT NULL, "budget_fen" bigint, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "project_district_code_code_key" UNIQUE ("district_code", "code"), CONSTRAINT "project_service_window_check" CHECK ("service_end" >= "service_start"), CONSTRAINT "project_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "project_district_code_idx" ON "project" ("district_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "project_village" ("project_id" uuid NOT NULL, "village_code" character varying(20) NOT NULL, CONSTRAINT "project_village_pkey" PRIMARY KEY ("project_id", "village_code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "project_task" ("project_id" uuid NOT NULL, "code" character varying(20) NOT NULL, "name" character varying(100) NOT NULL, "planned_area" integer NOT NULL, CONSTRAINT "project_task_planned_area_check" CHECK ("planned_area" > 0), CONSTRAINT "project_task_pkey" PRIMARY KEY ("project_id", "code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "contract" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "tender_id" uuid NOT NULL, "lot_id" uuid NOT NULL, "lot_code" character varying(20) NOT NULL, "organisation_id" uuid NOT NULL, "district_code" character varying(20) NOT NULL, "state" character varying(20) NOT NULL, "version" integer NOT NULL DEFAULT '1', "work_deadline" date NOT NULL, "awarded_on" date NOT NULL, "contract_no" character varying(60), "signed_on" date, "subsidy_fen" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "contract_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "contract_project_id_idx" ON "contract" ("project_id") `);
    await queryRunner.query(
      `CREATE INDEX "contract_organisation_id_idx" ON "contract" ("organisation_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "contract_district_code_idx" ON "contract" ("district_code") `,
    );
    await queryRunner.query(`CREATE INDEX "contract_state_idx" ON "contract" ("state") `);
    await queryRunner.query(
      `CREATE TABLE "contract_task_line" ("contract_id" uuid NOT NULL, "task_code" character varying(20) NOT NULL, "task_name" character varying(100) NOT NULL, "unit_price_fen" integer NOT NULL, "assigned_area" integer NOT NULL, "state" character varying(24) NOT NULL, "claimed_area" integer, "verified_area" integer, "accepted_area" integer, "audited_area" integer, "amount_fen" bigint, CONSTRAINT "contract_task_line_pkey" PRIMARY KEY ("contract_id", "task_code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "contract_village" ("contract_id" uuid NOT NULL, "village_code" character varying(20) NOT NULL, "town_code" character varying(20) NOT NULL, CONSTRAINT "contract_village_pkey" PRIMARY KEY ("contract_id", "village_code"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "contract_village_town_code_idx" ON "contract_village" ("town_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "contract_history" ("contract_id" uuid NOT NULL, "seq" integer NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" uuid, "actor_username" character varying(64), "event" character varying(60) NOT NULL, "task_code" character varying(20), "village_code" character varying(20), "from_state" character varying(40), "to_state" character varying(40) NOT NULL, "payload" jsonb NOT NULL, CONSTRAINT "contract_history_pkey" PRIMARY KEY ("contract_id", "seq"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "tender" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "district_code" character varying(20) NOT NULL, "method" character varying(10) NOT NULL, "published_in" character varying(200) NOT NULL, "published_on" date NOT NULL, "opening_on" date NOT NULL, "state" character varying(12) NOT NULL DEFAULT 'published', "opened_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "tender_dates_check" CHECK ("opening_on" >= "published_on"), CONSTRAINT "tender_state_check" CHECK ("state" IN ('published', 'opened')), CONSTRAINT "tender_method_check" CHECK ("method" IN ('invited', 'open')), CONSTRAINT "tender_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "tender_project_id_idx" ON "tender" ("project_id") `);
    await queryRunner.query(
      `CREATE INDEX "tender_district_code_idx" ON "tender" ("district_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "tender_invitation" ("tender_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, CONSTRAINT "tender_invitation_pkey" PRIMARY KEY ("tender_id", "organisation_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "lot" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tender_id" uuid NOT NULL, "code" character varying(20) NOT NULL, "village_codes" character varying array NOT NULL, CONSTRAINT "lot_tender_id_code_key" UNIQUE ("tender_id", "code"), CONSTRAINT "lot_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "lot_task" ("lot_id" uuid NOT NULL, "task_code" character varying(20) NOT NULL, "area" integer NOT NULL, CONSTRAINT "lot_task_area_check" CHECK ("area" > 0), CONSTRAINT "lot_task_pkey" PRIMARY KEY ("lot_id", "task_code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "bid" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tender_id" uuid NOT NULL, "lot_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "prices" jsonb NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "bid_lot_id_organisation_id_key" UNIQUE ("lot_id", "organisation_id"), CONSTRAINT "bid_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "bid_tender_id_idx" ON "bid" ("tender_id") `);
    await queryRunner.query(
      `CREATE TABLE "bid_score" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "bid_id" uuid NOT NULL, "expert" character varying(100) NOT NULL, "score" integer NOT NULL, "note" character varying(1000), "recorded_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "bid_score_bid_id_expert_key" UNIQUE ("bid_id", "expert"), CONSTRAINT "bid_score_score_check" CHECK ("score" BETWEEN 0 AND 10000), CONSTRAINT "bid_score_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "bid_score_bid_id_idx" ON "bid_score" ("bid_id") `);
    await queryRunner.query(
      `CREATE TABLE "award" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tender_id" uuid NOT NULL, "lot_id" uuid NOT NULL, "bid_id" uuid NOT NULL, "contract_id" uuid NOT NULL, "work_deadline" date NOT NULL, "awarded_on" date NOT NULL, "awarded_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "award_lot_id_key" UNIQUE ("lot_id"), CONSTRAINT "award_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "tender_event" ("id" BIGSERIAL NOT NULL, "tender_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" uuid, "actor_username" character varying(64), "event" character varying(40) NOT NULL, "payload" jsonb NOT NULL, CONSTRAINT "tender_event_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "tender_event_tender_id_idx" ON "tender_event" ("tender_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "project" ADD CONSTRAINT "project_district_code_fkey" FOREIGN KEY ("district_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "project_village" ADD CONSTRAINT "project_village_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "project_village" ADD CONSTRAINT "project_village_village_code_fkey" FOREIGN KEY ("village_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "project_task" ADD CONSTRAINT "project_task_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contract" ADD CONSTRAINT "contract_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contract" ADD CONSTRAINT "contract_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contract_task_line" ADD CONSTRAINT "contract_task_line_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contract"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contract_village" ADD CONSTRAINT "contract_village_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contract"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contract_history" ADD CONSTRAINT "contract_history_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contract"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "tender" ADD CONSTRAINT "tender_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "tender_invitation" ADD CONSTRAINT "tender_invitation_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tender"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "tender_invitation" ADD CONSTRAINT "tender_invitation_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "lot" ADD CONSTRAINT "lot_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tender"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "lot_task" ADD CONSTRAINT "lot_task_lot_id_fkey" FOREIGN KEY ("lot_id") REFERENCES "lot"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "bid" ADD CONSTRAINT "bid_lot_id_fkey" FOREIGN KEY ("lot_id") REFERENCES "lot"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "bid" ADD CONSTRAINT "bid_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "bid_score" ADD CONSTRAINT "bid_score_bid_id_fkey" FOREIGN KEY ("bid_id") REFERENCES "bid"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "award" ADD CONSTRAINT "award_lot_id_fkey" FOREIGN KEY ("lot_id") REFERENCES "lot"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "award" ADD CONSTRAINT "award_bid_id_fkey" FOREIGN KEY ("bid_id") REFERENCES "bid"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "tender_event" ADD CONSTRAINT "tender_event_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tender"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "tender_event" DROP CONSTRAINT "tender_event_tender_id_fkey"`,
    );
    await queryRunner.query(`ALTER TABLE "award" DROP CONSTRAINT "award_bid_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "award" DROP CONSTRAINT "award_lot_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "bid_score" DROP CONSTRAINT "bid_score_bid_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "bid" DROP CONSTRAINT "bid_organisation_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "bid" DROP CONSTRAINT "bid_lot_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "lot_task" DROP CONSTRAINT "lot_task_lot_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "lot" DROP CONSTRAINT "lot_tender_id_fkey"`);
    await queryRunner.query(
      `ALTER TABLE "tender_invitation" DROP CONSTRAINT "tender_invitation_organisation_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "tender_invitation" DROP CONSTRAINT "tender_invitation_tender_id_fkey"`,
    );
    await queryRunner.query(`ALTER TABLE "tender" DROP CONSTRAINT "tender_project_id_fkey"`);
    await queryRunner.query(
      `ALTER TABLE "contract_history" DROP CONSTRAINT "contract_history_contract_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "contract_village" DROP CONSTRAINT "contract_village_contract_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "contract_task_line" DROP CONSTRAINT "contract_task_line_contract_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "contract" DROP CONSTRAINT "contract_organisation_id_fkey"`,
    );
    await queryRunner.query(`ALTER TABLE "contract" DROP CONSTRAINT "contract_project_id_fkey"`);
    await queryRunner.query(
      `ALTER TABLE "project_task" DROP CONSTRAINT "project_task_project_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "project_village" DROP CONSTRAINT "project_village_village_code_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "project_village" DROP CONSTRAINT "project_village_project_id_fkey"`,
    );
    await queryRunner.query(`ALTER TABLE "project" DROP CONSTRAINT "project_district_code_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."tender_event_tender_id_idx"`);
    await queryRunner.query(`DROP TABLE "tender_event"`);
    await queryRunner.query(`DROP TABLE "award"`);
    await queryRunner.query(`DROP INDEX "public"."bid_score_bid_id_idx"`);
    await queryRunner.query(`DROP TABLE "bid_score"`);
    await queryRunner.query(`DROP INDEX "public"."bid_tender_id_idx"`);
    await queryRunner.query(`DROP TABLE "bid"`);
    await queryRunner.query(`DROP TABLE "lot_task"`);
    await queryRunner.query(`DROP TABLE "lot"`);
    await queryRunner.query(`DROP TABLE "tender_invitation"`);
    await queryRunner.query(`DROP INDEX "public"."tender_district_code_idx"`);
    await queryRunner.query(`DROP INDEX "public"."tender_project_id_idx"`);
    await queryRunner.query(`DROP TABLE "tender"`);
    await queryRunner.query(`DROP TABLE "contract_history"`);
    await queryRunner.query(`DROP INDEX "public"."contract_village_town_code_idx"`);
    await queryRunner.query(`DROP TABLE "contract_village"`);
    await queryRunner.query(`DROP TABLE "contract_task_line"`);
    await queryRunner.query(`DROP INDEX "public"."contract_state_idx"`);
    await queryRunner.query(`DROP INDEX "public"."contract_district_code_idx"`);
    await queryRunner.query(`DROP INDEX "public"."contract_organisation_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."contract_project_id_idx"`);
    await queryRunner.query(`DROP TABLE "contract"`);
    await queryRunner.query(`DROP TABLE "project_task"`);
    await queryRunner.query(`DROP TABLE "project_village"`);
    await queryRunner.query(`DROP INDEX "public"."project_district_code_idx"`);
    await queryRunner.query(`DROP TABLE "project"`);
  }
}
