import type { ColumnDef, Node } from 'libpg-query';
import { isSerialType } from '../column-types.js';
import type { RuleHit } from '../finding.js';
import {
  alterTableOf,
  columnConstraints,
  columnDefOf,
  constraintOf,
  displayKey,
  stringsOf,
  tableKeyOf,
  typeNameParts,
} from '../pg-ast.js';
import type { StatementRule } from '../rule-context.js';

/** Built-in type (as the parser names it) → the style rule it breaks. */
const DISCOURAGED_TYPES: Readonly<Record<string, { rule: StyleRule; what: string }>> = {
  timestamp: { rule: 'style-timestamp-without-zone', what: 'timestamp without time zone' },
  varchar: { rule: 'style-varchar-length', what: 'varchar(n)' },
  bpchar: { rule: 'style-varchar-length', what: 'char(n)' },
  json: { rule: 'style-json', what: 'json' },
};

type StyleRule =
  'style-int-key' | 'style-timestamp-without-zone' | 'style-varchar-length' | 'style-json';

/**
 * Advice on the types of the columns a migration creates (CREATE TABLE, ADD COLUMN): never
 * blocking. Type changes of existing columns are judged by type-change.ts alone.
 */
export const checkStyle: StatementRule = (statement) => {
  if ('CreateStmt' in statement) {
    const create = statement.CreateStmt;
    const table = displayKey(tableKeyOf(create.relation));
    const keyColumns = tablePrimaryKeyColumns(create.tableElts);
    return (create.tableElts ?? []).flatMap((element) => {
      const column = columnDefOf(element);
      return column ? columnHits(column, table, keyColumns) : [];
    });
  }
  const target = alterTableOf(statement);
  if (!target) return [];
  const table = displayKey(target.tableKey);
  return target.commands.flatMap((command) => {
    const column = columnDefOf(command.def);
    if (!column) return [];
    return command.subtype === 'AT_AddColumn' ? columnHits(column, table, []) : [];
  });
};

function columnHits(column: ColumnDef, table: string, keyColumns: string[]): RuleHit[] {
  const isKey =
    keyColumns.includes(column.colname ?? '') ||
    columnConstraints(column).some((constraint) => constraint.contype === 'CONSTR_PRIMARY');
  const parts = typeNameParts(column.typeName);
  const type = parts.at(-1) ?? '';
  const smallInteger = isSerialType(column.typeName)
    ? !['bigserial', 'serial8'].includes(type)
    : parts[0] === 'pg_catalog' && ['int2', 'int4'].includes(type);
  const keyHit: RuleHit[] =
    isKey && smallInteger
      ? [
          {
            rule: 'style-int-key',
            message: `${table}.${column.colname} is a ${type} key`,
          },
        ]
      : [];
  return [...keyHit, ...typeHits(column, table)];
}

function typeHits(column: ColumnDef, table: string): RuleHit[] {
  const parts = typeNameParts(column.typeName);
  if (parts[0] !== 'pg_catalog' || parts.length !== 2) return [];
  const discouraged = DISCOURAGED_TYPES[parts[1] ?? ''];
  if (!discouraged) return [];
  // varchar without a length is text by another name.
  if (
    discouraged.rule === 'style-varchar-length' &&
    parts[1] === 'varchar' &&
    !column.typeName?.typmods?.length
  )
    return [];
  return [{ rule: discouraged.rule, message: `${table}.${column.colname} is ${discouraged.what}` }];
}

/** Columns named by a table-level PRIMARY KEY (...) constraint. */
function tablePrimaryKeyColumns(elements: Node[] | undefined): string[] {
  return (elements ?? []).flatMap((element) => {
    const constraint = constraintOf(element);
    return constraint?.contype === 'CONSTR_PRIMARY' ? stringsOf(constraint.keys) : [];
  });
}
