import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAttachments1795503512384 implements MigrationInterface {
  name = 'AddAttachments1795503512384';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "attachment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "contract_id" uuid NOT NULL, "kind" character varying(30) NOT NULL, "sha256" character(64) NOT NULL, "size" bigint NOT NULL, "file_name" character varying(255) NOT NULL, "content_type" character varying(100) NOT NULL, "uploaded_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "attachment_kind_check" CHECK ("kind" IN ('legal_person_certificate', 'contract_scan', 'register_scan', 'other')), CONSTRAINT "attachment_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "attachment_contract_id_idx" ON "attachment" ("contract_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "attachment" ADD CONSTRAINT "attachment_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contract"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "attachment" DROP CONSTRAINT "attachment_contract_id_fkey"`,
    );
    await queryRunner.query(`DROP INDEX "public"."attachment_contract_id_idx"`);
    await queryRunner.query(`DROP TABLE "attachment"`);
  }
}
