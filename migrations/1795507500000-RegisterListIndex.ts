import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GET /contracts/:id/register pages a contract's rows by (task, row number, id). Without an index
 * in that order PostgreSQL read and sorted every row of the contract for each page: 37 ms a page
 * of a 16,000-row contract at province size (docs/benchmarks.md, "Province scale"). With it a
 * page is the next entries of the index.
 */
export class RegisterListIndex1795507500000 implements MigrationInterface {
  name = 'RegisterListIndex1795507500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "register_row_contract_list_idx" ON "register_row" ("contract_id", "task_code", "row_no", "id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."register_row_contract_list_idx"`);
  }
}
