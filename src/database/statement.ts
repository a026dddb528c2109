import { createHash } from 'node:crypto';
import type { PoolClient, QueryResultRow } from 'pg';
import type { EntityManager } from 'typeorm';

/** A parameterised SQL statement ($1, $2, … in `sql`). */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Several writes as one statement: all but the last become data-modifying CTEs
 * (`WITH w0 AS (…), w1 AS (…) last`), with their parameters renumbered. One round trip instead
 * of one per write; PostgreSQL runs every part exactly once, on one snapshot, all or nothing.
 * The parts must not touch the same row twice (PostgreSQL leaves the outcome undefined) and
 * cannot see each other's rows; foreign keys are checked at the end of the statement.
 */
export function combine(statements: readonly Statement[]): Statement {
  if (statements.length === 0) throw new Error('combine: no statements');
  if (statements.length === 1) return statements[0];
  const params: unknown[] = [];
  const parts = statements.map((statement) => {
    if (/^\s*with\b/i.test(statement.sql)) {
      throw new Error('combine: a part cannot start with WITH');
    }
    const offset = params.length;
    params.push(...statement.params);
    return statement.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  });
  const last = parts.pop() as string;
  return {
    sql: `WITH ${parts.map((part, index) => `w${index} AS (${part})`).join(', ')} ${last}`,
    params,
  };
}

/**
 * Runs a statement on the connection of `manager`'s query runner as a named prepared statement:
 * PostgreSQL parses and plans it once per connection instead of on every call (the hot path of
 * every command runs a handful of statements whose text repeats). The name is a digest of the
 * text, so the same text always maps to the same prepared statement.
 */
export async function runPrepared<Row>(
  manager: EntityManager,
  statement: Statement,
): Promise<Row[]> {
  if (!manager.queryRunner) {
    throw new Error("runPrepared needs a query runner's manager (a transaction's, or its own)");
  }
  const client = (await manager.queryRunner.connect()) as PoolClient;
  const result = await client.query<Row & QueryResultRow>({
    name: statementName(statement.sql),
    text: statement.sql,
    values: statement.params,
  });
  return result.rows;
}

const names = new Map<string, string>();

function statementName(sql: string): string {
  let name = names.get(sql);
  if (name === undefined) {
    name = `agri_${createHash('sha256').update(sql).digest('base64url').slice(0, 32)}`;
    if (names.size < 10_000) names.set(sql, name);
  }
  return name;
}
