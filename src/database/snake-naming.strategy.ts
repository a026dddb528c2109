import { DefaultNamingStrategy, type NamingStrategyInterface, type Table } from 'typeorm';

export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * snake_case tables and columns, and readable constraint names (`contract_pkey`,
 * `register_row_contract_id_fkey`) fixed from day one, so that migrations never rename them.
 * PostgreSQL cuts identifiers at 63 bytes.
 */
export class SnakeNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override tableName(targetName: string, userSpecifiedName: string | undefined): string {
    return userSpecifiedName ?? snakeCase(targetName);
  }

  override columnName(
    propertyName: string,
    customName: string | undefined,
    prefixes: string[],
  ): string {
    return snakeCase([...prefixes, customName ?? propertyName].join('_'));
  }

  override relationName(propertyName: string): string {
    return snakeCase(propertyName);
  }

  override joinColumnName(relationName: string, referencedColumnName: string): string {
    return snakeCase(`${relationName}_${referencedColumnName}`);
  }

  override joinTableName(firstTableName: string, secondTableName: string): string {
    return `${firstTableName}_${secondTableName}`;
  }

  override joinTableColumnName(
    tableName: string,
    propertyName: string,
    columnName?: string,
  ): string {
    return snakeCase(`${tableName}_${columnName ?? propertyName}`);
  }

  override primaryKeyName(tableOrName: Table | string): string {
    return cut(`${this.getTableName(tableOrName)}_pkey`);
  }

  override uniqueConstraintName(tableOrName: Table | string, columnNames: string[]): string {
    return cut(`${this.getTableName(tableOrName)}_${columnNames.join('_')}_key`);
  }

  override foreignKeyName(tableOrName: Table | string, columnNames: string[]): string {
    return cut(`${this.getTableName(tableOrName)}_${columnNames.join('_')}_fkey`);
  }

  override indexName(tableOrName: Table | string, columnNames: string[]): string {
    return cut(`${this.getTableName(tableOrName)}_${columnNames.join('_')}_idx`);
  }

  override relationConstraintName(tableOrName: Table | string, columnNames: string[]): string {
    return cut(`${this.getTableName(tableOrName)}_${columnNames.join('_')}_rel`);
  }

  override checkConstraintName(
    tableOrName: Table | string,
    expression: string,
    isEnum?: boolean,
  ): string {
    const column = /"?([a-z_]+)"?/.exec(expression)?.[1] ?? 'check';
    return cut(`${this.getTableName(tableOrName)}_${column}_${isEnum ? 'enum' : 'check'}`);
  }

  override defaultConstraintName(tableOrName: Table | string, columnName: string): string {
    return cut(`${this.getTableName(tableOrName)}_${columnName}_default`);
  }

  override exclusionConstraintName(tableOrName: Table | string): string {
    return cut(`${this.getTableName(tableOrName)}_excl`);
  }
}

function cut(name: string): string {
  return name.length <= 63 ? name : name.slice(0, 63);
}
