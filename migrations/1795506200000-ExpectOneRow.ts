import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `expect_one_row(n, what)`: raises serialization_failure (40001) unless n = 1. An optimistic
 * save ends with it (`SELECT expect_one_row((SELECT count(*) FROM w0), 'contract')`, w0 being the
 * compare-and-set UPDATE of the contract), so that when the contract moved on since it was read,
 * the whole statement, with all its other writes, is undone and the command is run again under
 * the row lock.
 */
export class ExpectOneRow1795506200000 implements MigrationInterface {
  name = 'ExpectOneRow1795506200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION expect_one_row(n bigint, what text) RETURNS bigint LANGUAGE plpgsql AS $$
       BEGIN
         IF n IS DISTINCT FROM 1 THEN
           RAISE EXCEPTION '% changed since it was read', what USING ERRCODE = 'serialization_failure';
         END IF;
         RETURN n;
       END $$`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION expect_one_row(bigint, text)`);
  }
}
