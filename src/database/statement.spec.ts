import { combine } from './statement';

describe('combine', () => {
  it('returns a single statement as it is', () => {
    const one = { sql: 'UPDATE t SET a = $1 WHERE id = $2', params: [1, 'x'] };
    expect(combine([one])).toBe(one);
  });

  it('turns all but the last statement into CTEs and renumbers their parameters', () => {
    expect(
      combine([
        { sql: 'UPDATE a SET x = $1 WHERE id = $2', params: [1, 'a'] },
        { sql: 'INSERT INTO b (y, z) VALUES ($1, $1 || $2)', params: ['p', 'q'] },
        { sql: 'INSERT INTO c (v) VALUES ($1)', params: [true] },
      ]),
    ).toEqual({
      sql: 'WITH w0 AS (UPDATE a SET x = $1 WHERE id = $2), w1 AS (INSERT INTO b (y, z) VALUES ($3, $3 || $4)) INSERT INTO c (v) VALUES ($5)',
      params: [1, 'a', 'p', 'q', true],
    });
  });

  it('renumbers two-digit parameters as numbers, not as text', () => {
    const twelve = Array.from({ length: 12 }, (_, i) => `$${i + 1}`).join(', ');
    const { sql, params } = combine([
      { sql: 'UPDATE a SET x = $1, y = $2 WHERE id = $3', params: [1, 2, 3] },
      { sql: `INSERT INTO u VALUES (${twelve})`, params: Array.from({ length: 12 }, (_, i) => i) },
    ]);
    expect(sql).toMatch(/INSERT INTO u VALUES \(\$4, \$5, .*, \$14, \$15\)$/);
    expect(params).toHaveLength(15);
  });

  it('refuses no statements and a part that has its own WITH', () => {
    expect(() => combine([])).toThrow(/no statements/);
    expect(() =>
      combine([
        { sql: 'WITH x AS (SELECT 1) UPDATE a SET b = 1', params: [] },
        { sql: 'UPDATE c SET d = 1', params: [] },
      ]),
    ).toThrow(/WITH/);
  });
});
