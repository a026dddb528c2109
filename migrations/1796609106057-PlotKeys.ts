import type { MigrationInterface, QueryRunner } from 'typeorm';
import { identifierKey, invisibleCharacter } from '../src/common/values/identifier';

const BATCH = 10_000;

/**
 * A plot is unique per project and task by the way people read its code, not by its bytes
 * (issue 22: `RACE-PLOT-1`, `ＲＡＣＥ-PLOT-1`, `RACE‐PLOT‐1`, `race-plot-1` were four plots).
 * `register_row.plot_key` holds the code's key (common/values/identifier.ts); `plot_code` stays as
 * typed. The unique index moves from the raw code to the key.
 *
 * On a live database, rows stored before may already collide by key. The migration does not
 * fail on them and changes none of them: it keeps the key on the first row of each group (by
 * creation), leaves `plot_key` empty (NULL, outside the unique index) on the others, and records
 * every such row in `identifier_collision`, with the row whose key it shares. Rows whose code
 * holds an invisible character are recorded there too (they keep their key: it cannot equal a
 * visible code's). The operator reads the table (docs/register-import.md), corrects or
 * withdraws the rows, and the app's duplicate check still compares new rows with the kept one.
 * The migration prints how many rows it recorded.
 */
export class PlotKeys1796609106057 implements MigrationInterface {
  name = 'PlotKeys1796609106057';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "register_row" ADD "plot_key" text`);
    await queryRunner.query(
      `CREATE TABLE "identifier_collision" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "table_name" character varying(40) NOT NULL, "column_name" character varying(40) NOT NULL, "row_id" uuid NOT NULL, "value" text NOT NULL, "reason" character varying(12) NOT NULL, "kept_row_id" uuid, "found_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "identifier_collision_reason_check" CHECK ("reason" IN ('look-alike', 'invisible')), CONSTRAINT "identifier_collision_pkey" PRIMARY KEY ("id"))`,
    );

    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = (await queryRunner.query(
        `SELECT id, plot_code FROM register_row WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
        [after],
      )) as { id: string; plot_code: string }[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1].id;
      await queryRunner.query(
        `UPDATE register_row r SET plot_key = k.key FROM unnest($1::uuid[], $2::text[]) AS k(id, key) WHERE r.id = k.id`,
        [rows.map((row) => row.id), rows.map((row) => identifierKey(row.plot_code))],
      );
      const invisible = rows.filter((row) => invisibleCharacter(row.plot_code) !== undefined);
      if (invisible.length > 0) {
        await queryRunner.query(
          `INSERT INTO identifier_collision (table_name, column_name, row_id, value, reason)
           SELECT 'register_row', 'plot_code', id, value, 'invisible' FROM unnest($1::uuid[], $2::text[]) AS k(id, value)`,
          [invisible.map((row) => row.id), invisible.map((row) => row.plot_code)],
        );
      }
    }

    const [{ count: lookAlikes }] = (await queryRunner.query(
      `WITH ranked AS (
         SELECT id, plot_code,
                first_value(id) OVER w AS kept_row_id,
                row_number() OVER w AS rank
           FROM register_row
          WHERE state <> 'withdrawn'
         WINDOW w AS (PARTITION BY project_id, plot_key, task_code ORDER BY created_at, id)
       ), recorded AS (
         INSERT INTO identifier_collision (table_name, column_name, row_id, value, reason, kept_row_id)
         SELECT 'register_row', 'plot_code', id, plot_code, 'look-alike', kept_row_id
           FROM ranked WHERE rank > 1
         RETURNING row_id
       ), cleared AS (
         UPDATE register_row SET plot_key = NULL WHERE id IN (SELECT row_id FROM recorded) RETURNING id
       )
       SELECT count(*)::int AS count FROM cleared`,
    )) as { count: number }[];
    await queryRunner.query(`DROP INDEX "public"."register_row_project_plot_task_key"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "register_row_project_plot_key_task_key" ON "register_row" ("project_id", "plot_key", "task_code") WHERE "state" <> 'withdrawn'`,
    );

    const [{ count: recorded }] = (await queryRunner.query(
      `SELECT count(*)::int AS count FROM identifier_collision WHERE table_name = 'register_row'`,
    )) as { count: number }[];
    if (recorded > 0) {
      process.emitWarning(
        `${recorded} register rows have plot codes that look like another row's (${lookAlikes}) or hold an invisible character (${recorded - lookAlikes}); they are listed in the table identifier_collision for correction`,
        { code: 'PLOT_KEY_COLLISIONS' },
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."register_row_project_plot_key_task_key"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "register_row_project_plot_task_key" ON "register_row" ("project_id", "plot_code", "task_code") WHERE "state" <> 'withdrawn'`,
    );
    await queryRunner.query(`DROP TABLE "identifier_collision"`);
    await queryRunner.query(`ALTER TABLE "register_row" DROP COLUMN "plot_key"`);
  }
}
