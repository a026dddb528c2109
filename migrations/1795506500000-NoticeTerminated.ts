import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A terminated contract closes its running notices: they leave the public board, take no more
 * objections (NOTICE_CLOSED) and their timers are cancelled. Before, they stayed `running`.
 * Notices of contracts already terminated are closed here too, at their contract's termination.
 */
export class NoticeTerminated1795506500000 implements MigrationInterface {
  name = 'NoticeTerminated1795506500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notice" DROP CONSTRAINT "notice_state_check"`);
    await queryRunner.query(
      `ALTER TABLE "notice" ADD CONSTRAINT "notice_state_check" CHECK ("state" IN ('running', 'cleared', 'superseded', 'terminated'))`,
    );
    await queryRunner.query(
      `UPDATE "notice" n SET "state" = 'terminated',
              "closed_at" = coalesce((SELECT max(h."at") FROM "contract_history" h
                                       WHERE h."contract_id" = n."contract_id" AND h."event" = 'contract.terminated'), now())
        FROM "contract" c WHERE c."id" = n."contract_id" AND c."state" = 'terminated' AND n."state" = 'running'`,
    );
    await queryRunner.query(
      `UPDATE "timer" t SET "fired_at" = n."closed_at", "outcome" = 'cancelled: contract terminated'
         FROM "notice" n WHERE n."id" = t."notice_id" AND n."state" = 'terminated' AND t."fired_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "notice" SET "state" = 'superseded' WHERE "state" = 'terminated'`,
    );
    await queryRunner.query(`ALTER TABLE "notice" DROP CONSTRAINT "notice_state_check"`);
    await queryRunner.query(
      `ALTER TABLE "notice" ADD CONSTRAINT "notice_state_check" CHECK ("state" IN ('running', 'cleared', 'superseded'))`,
    );
  }
}
