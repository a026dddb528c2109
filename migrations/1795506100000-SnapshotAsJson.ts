import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The machine snapshot is a document the app reads and writes whole; no query looks inside it.
 * `json` keeps the text as sent, where `jsonb` parses it into a binary tree on every write and
 * prints it back on every read: for a 12 kB snapshot that was about a third of the time of the
 * contract's UPDATE and SELECT (docs/benchmarks.md).
 */
export class SnapshotAsJson1795506100000 implements MigrationInterface {
  name = 'SnapshotAsJson1795506100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "contract" ALTER COLUMN "snapshot" TYPE json USING "snapshot"::json`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "contract" ALTER COLUMN "snapshot" TYPE jsonb USING "snapshot"::jsonb`,
    );
  }
}
