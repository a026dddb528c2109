import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A document is issued once per state of its contract: `issue_key` is the SHA-256 of what
 * decides it (kind, contract, contract version, options and the content as its reader may see
 * it), and `file_sha256` names its PDF in the content-addressed file store, so a repeat download
 * returns the stored bytes. Documents issued before this migration keep both null: they still
 * check as issued, and the next download issues them once more, this time kept.
 */
export class StableDocuments1796609077804 implements MigrationInterface {
  name = 'StableDocuments1796609077804';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "issued_document" ADD "issue_key" character(64), ADD "file_sha256" character(64), ADD "contract_version" integer, ADD "options" jsonb`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "issued_document_issue_key_idx" ON "issued_document" ("issue_key")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."issued_document_issue_key_idx"`);
    await queryRunner.query(
      `ALTER TABLE "issued_document" DROP COLUMN "options", DROP COLUMN "contract_version", DROP COLUMN "file_sha256", DROP COLUMN "issue_key"`,
    );
  }
}
