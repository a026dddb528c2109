import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddIssuedDocuments1795505621115 implements MigrationInterface {
  name = 'AddIssuedDocuments1795505621115';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "issued_document" ("sha256" character(64) NOT NULL, "contract_id" uuid NOT NULL, "kind" character varying(30) NOT NULL, "title" character varying(200) NOT NULL, "generated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "generated_by" character varying(64), CONSTRAINT "issued_document_pkey" PRIMARY KEY ("sha256"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "issued_document_contract_id_idx" ON "issued_document" ("contract_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."issued_document_contract_id_idx"`);
    await queryRunner.query(`DROP TABLE "issued_document"`);
  }
}
