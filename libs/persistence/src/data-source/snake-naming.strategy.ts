import { DefaultNamingStrategy, type NamingStrategyInterface, type Table } from 'typeorm';

const MAX_IDENTIFIER_LENGTH = 63;

export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * snake_case tables, columns, join columns and join tables, and readable constraint names
 * (`uq_users_email`, `fk_users_sales_head_id`) so error details and migrations say what they mean.
 * Names that would pass Postgres' 63-character limit keep TypeORM's hashed form.
 */
export class SnakeNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override tableName(targetName: string, userSpecifiedName: string | undefined): string {
    return userSpecifiedName ?? toSnakeCase(targetName);
  }

  override columnName(
    propertyName: string,
    customName: string | undefined,
    prefixes: string[],
  ): string {
    return customName ?? toSnakeCase([...prefixes, propertyName].join('_'));
  }

  override relationName(propertyName: string): string {
    return toSnakeCase(propertyName);
  }

  override joinColumnName(relationName: string, referencedColumnName: string): string {
    return toSnakeCase(`${relationName}_${referencedColumnName}`);
  }

  override joinTableName(
    firstTableName: string,
    secondTableName: string,
    firstPropertyName: string,
  ): string {
    return toSnakeCase(
      `${firstTableName}_${firstPropertyName.replace(/\./g, '_')}_${secondTableName}`,
    );
  }

  override joinTableColumnName(
    tableName: string,
    propertyName: string,
    columnName?: string,
  ): string {
    return toSnakeCase(`${tableName}_${columnName ?? propertyName}`);
  }

  override primaryKeyName(table: Table | string, columnNames: string[]): string {
    return readable('pk', table, [], () => super.primaryKeyName(table, columnNames));
  }

  override uniqueConstraintName(table: Table | string, columnNames: string[]): string {
    return readable('uq', table, columnNames, () => super.uniqueConstraintName(table, columnNames));
  }

  override relationConstraintName(
    table: Table | string,
    columnNames: string[],
    where?: string,
  ): string {
    if (where) return super.relationConstraintName(table, columnNames, where);
    return readable('rel', table, columnNames, () =>
      super.relationConstraintName(table, columnNames),
    );
  }

  override foreignKeyName(table: Table | string, columnNames: string[]): string {
    return readable('fk', table, columnNames, () => super.foreignKeyName(table, columnNames));
  }

  override indexName(table: Table | string, columnNames: string[], where?: string): string {
    if (where) return super.indexName(table, columnNames, where);
    return readable('idx', table, columnNames, () => super.indexName(table, columnNames));
  }
}

function readable(
  prefix: string,
  table: Table | string,
  columnNames: string[],
  fallback: () => string,
): string {
  const tableName = (typeof table === 'string' ? table : table.name).split('.').pop()!;
  const name = [prefix, tableName, ...columnNames].join('_');
  return name.length <= MAX_IDENTIFIER_LENGTH ? name : fallback();
}
