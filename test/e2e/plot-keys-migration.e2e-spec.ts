import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/migrate';
import { createTestDatabase } from '../support/test-app';

const MIGRATION = '1796609106057';

/** The files of every migration before PlotKeys. */
function migrationsBefore(): string[] {
  const folder = path.join(__dirname, '..', '..', 'migrations');
  return fs
    .readdirSync(folder)
    .filter((file) => file.endsWith('.ts') && file < MIGRATION)
    .map((file) => path.join(folder, file));
}

/**
 * Migration PlotKeys on a live database whose register already holds look-alike plot codes
 * (issue 22): it succeeds, changes no code, keeps the key on the first row of each group,
 * records the others and the invisible ones in identifier_collision, and warns the operator.
 */
describe('migration PlotKeys on a register with look-alikes', () => {
  it('succeeds, records the collisions and warns; the new index then refuses a look-alike', async () => {
    const database = await createTestDatabase({ migrate: false });
    const old = new DataSource({
      ...dataSourceOptions(database.url, 2),
      migrations: migrationsBefore(),
    });
    const project = randomUUID();
    const contract = randomUUID();
    const plots: [string, string][] = [
      ['RACE-PLOT-1', 'working'], // the first: keeps its key
      ['ＲＡＣＥ-PLOT-1', 'working'],
      ['race-plot-1', 'working'],
      ['RACE\u2010PLOT\u20101', 'claimed'],
      ['RACE-PLOT-1\u200B', 'working'], // invisible: recorded, keeps a key of its own
      ['race-plot-1', 'withdrawn'], // withdrawn: outside the index, not a collision
      ['OTHER-1', 'working'],
    ];
    const ids: string[] = [];
    await old.initialize();
    try {
      await old.runMigrations({ transaction: 'each' });
      // Only the register matters here: its rows stand without a contract row in this database.
      await old.query(`ALTER TABLE register_row DROP CONSTRAINT register_row_contract_id_fkey`);
      await old.transaction(async (manager) => {
        for (const [index, [plot, state]] of plots.entries()) {
          const id = randomUUID();
          ids.push(id);
          await manager.query(
            `INSERT INTO register_row (id, contract_id, project_id, row_no, village_code, household_name,
               household_id_no, plot_code, task_code, area, work_date, machine_no, operator_name,
               town_cadre_signed, village_cadre_signed, operator_signed, farmer_signed, state, created_at)
             VALUES ($1, $2, $3, $4, 'V1', '张三', '341602198001011234', $5, 'wheat_harvest', 100,
               '2015-06-10', '皖S-1', '刘', '1', '1', '1', '1', $6, $7)`,
            [
              id,
              contract,
              project,
              index + 2,
              plot,
              state,
              new Date(Date.UTC(2015, 5, 10, 0, index)),
            ],
          );
        }
      });
    } finally {
      await old.destroy();
    }

    const warnings: string[] = [];
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation((warning: string | Error) => {
      warnings.push(String(warning));
    });
    try {
      expect(await runMigrations(database.url)).toContain(`PlotKeys${MIGRATION}`);
    } finally {
      spy.mockRestore();
    }
    console.log(`PlotKeys migration warning: ${warnings.join(' | ')}`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^4 register rows .*\(3\).*\(1\).*identifier_collision/);

    const check = new DataSource(dataSourceOptions(database.url, 2));
    await check.initialize();
    try {
      const rows = await check.query<{ id: string; plot_code: string; plot_key: string | null }[]>(
        `SELECT id, plot_code, plot_key FROM register_row ORDER BY row_no`,
      );
      // Every code as typed; the key on the first of the group, none on its look-alikes.
      expect(rows.map((row) => row.plot_code)).toEqual(plots.map(([plot]) => plot));
      expect(rows.map((row) => row.plot_key)).toEqual([
        'race-plot-1',
        null,
        null,
        null,
        'race-plot-1\u200B',
        'race-plot-1',
        'other-1',
      ]);
      const recorded = await check.query<
        { row_id: string; value: string; reason: string; kept_row_id: string | null }[]
      >(
        `SELECT row_id, value, reason, kept_row_id FROM identifier_collision
          WHERE table_name = 'register_row' AND column_name = 'plot_code' ORDER BY value`,
      );
      expect(recorded).toEqual(
        expect.arrayContaining([
          { row_id: ids[1], value: plots[1][0], reason: 'look-alike', kept_row_id: ids[0] },
          { row_id: ids[2], value: plots[2][0], reason: 'look-alike', kept_row_id: ids[0] },
          { row_id: ids[3], value: plots[3][0], reason: 'look-alike', kept_row_id: ids[0] },
          { row_id: ids[4], value: plots[4][0], reason: 'invisible', kept_row_id: null },
        ]),
      );
      expect(recorded).toHaveLength(4);

      // From now on the index holds: a new look-alike of the kept row cannot be stored.
      await expect(
        check.query(
          `INSERT INTO register_row (contract_id, project_id, row_no, village_code, household_name,
             household_id_no, plot_code, plot_key, task_code, area, work_date, machine_no, operator_name,
             town_cadre_signed, village_cadre_signed, operator_signed, farmer_signed)
           SELECT contract_id, project_id, 99, village_code, household_name, household_id_no,
             'Race-Plot-1', 'race-plot-1', task_code, area, work_date, machine_no, operator_name,
             town_cadre_signed, village_cadre_signed, operator_signed, farmer_signed
             FROM register_row WHERE id = $1`,
          [ids[0]],
        ),
      ).rejects.toMatchObject({ constraint: 'register_row_project_plot_key_task_key' });
    } finally {
      await check.destroy();
      await database.drop();
    }
  }, 120_000);
});
