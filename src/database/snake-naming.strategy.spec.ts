import { SnakeNamingStrategy, snakeCase } from './snake-naming.strategy';

describe('SnakeNamingStrategy', () => {
  const naming = new SnakeNamingStrategy();

  it('turns camelCase into snake_case', () => {
    expect(snakeCase('registerRow')).toBe('register_row');
    expect(snakeCase('householdIdNo')).toBe('household_id_no');
    expect(snakeCase('HTTPServer')).toBe('http_server');
    expect(naming.columnName('assignedAreaMu', undefined, [])).toBe('assigned_area_mu');
    expect(naming.tableName('RegisterRow', undefined)).toBe('register_row');
  });

  it('names constraints readably', () => {
    expect(naming.primaryKeyName('contract')).toBe('contract_pkey');
    expect(naming.foreignKeyName('register_row', ['contract_id'])).toBe(
      'register_row_contract_id_fkey',
    );
    expect(naming.uniqueConstraintName('payout', ['contract_id'])).toBe('payout_contract_id_key');
    expect(naming.indexName('register_row', ['contract_id', 'task_code'])).toBe(
      'register_row_contract_id_task_code_idx',
    );
  });

  it("keeps names within PostgreSQL's 63 bytes", () => {
    expect(naming.indexName('a'.repeat(40), ['b'.repeat(40)]).length).toBe(63);
  });
});
