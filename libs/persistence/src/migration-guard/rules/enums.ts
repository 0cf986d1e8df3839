import type { Node } from 'libpg-query';
import type { Catalog } from '../catalog.js';
import { columnTypeOf } from '../column-types.js';
import type { RuleHit } from '../finding.js';
import { alterTableOf, columnDefOf, displayKey, keyFromNameParts, stringsOf } from '../pg-ast.js';
import type { StatementRule } from '../rule-context.js';

export interface EnumConversion {
  tableKey: string;
  column: string;
  fromType: string;
  toType: string;
}

/**
 * ALTER COLUMN ... TYPE from one known enum to another: the heart of TypeORM's enum rebuild
 * (up: rename old, create new, convert, drop old; down: create `_old`, convert, drop, rename).
 */
export function enumConversions(statement: Node, catalog: Catalog): EnumConversion[] {
  const target = alterTableOf(statement);
  if (!target) return [];
  const isEnum = (key: string): boolean => catalog.hasEnum(key);
  return target.commands.flatMap((command) => {
    if (command.subtype !== 'AT_AlterColumnType') return [];
    const column = command.name ?? '';
    const fromType = catalog.column(target.tableKey, column)?.type.name;
    const toType = columnTypeOf(columnDefOf(command.def)?.typeName, isEnum).name;
    return fromType !== undefined && isEnum(fromType) && isEnum(toType)
      ? [{ tableKey: target.tableKey, column, fromType, toType }]
      : [];
  });
}

/** enum-value-removed, enum-rebuild, enum-value-renamed. */
export const checkEnums: StatementRule = (statement, context) => {
  if ('AlterEnumStmt' in statement) {
    const { typeName, oldVal, newVal } = statement.AlterEnumStmt;
    const key = keyFromNameParts(stringsOf(typeName));
    if (oldVal === undefined || context.isNewType(key)) return [];
    return [
      {
        rule: 'enum-value-renamed',
        message: `renames ${displayKey(key)} value '${oldVal}' to '${newVal ?? ''}'`,
      },
    ];
  }
  return enumConversions(statement, context.catalog)
    .filter((conversion) => !context.isNewTable(conversion.tableKey))
    .map((conversion): RuleHit => {
      const before = context.catalog.enumValues(conversion.fromType) ?? [];
      const after = context.catalog.enumValues(conversion.toType) ?? [];
      const removed = before.filter((value) => !after.includes(value));
      const subject = `${displayKey(conversion.tableKey)}.${conversion.column}`;
      const change = `${displayKey(conversion.fromType)} → ${displayKey(conversion.toType)}`;
      return removed.length > 0
        ? {
            rule: 'enum-value-removed',
            message: `${subject} (${change}) loses ${removed.map((v) => `'${v}'`).join(', ')}`,
          }
        : {
            rule: 'enum-rebuild',
            message: `${subject} is rewritten (${change}) but no value is removed`,
          };
    });
};
