import type { AlterTableCmd, ColumnDef } from 'libpg-query';
import { isSerialType } from '../column-types.js';
import type { RuleHit } from '../finding.js';
import {
  alterTableOf,
  columnConstraints,
  columnDefOf,
  constraintOf,
  displayKey,
  functionNamesIn,
  isNullConstant,
  stringsOf,
} from '../pg-ast.js';
import type { StatementRule } from '../rule-context.js';

/**
 * Functions known not to be volatile, so a default using them is stored once in the catalog
 * instead of being written into every row. Anything else is assumed volatile (fail closed).
 */
const NON_VOLATILE_FUNCTIONS = new Set([
  'now',
  'transaction_timestamp',
  'statement_timestamp',
  'current_setting',
  'lower',
  'upper',
  'trim',
  'btrim',
  'concat',
  'length',
  'abs',
  'round',
  'to_timestamp',
  'make_interval',
  'json_build_object',
  'jsonb_build_object',
  'json_build_array',
  'jsonb_build_array',
  'to_json',
  'to_jsonb',
  'array_fill',
]);

/** add-column-not-null-without-default, volatile-default, set-not-null (existing tables only). */
export const checkColumns: StatementRule = (statement, context) => {
  const target = alterTableOf(statement);
  if (!target || context.isNewTable(target.tableKey)) return [];
  const subject = (column: string): string => `${displayKey(target.tableKey)}.${column}`;
  return target.commands.flatMap((command): RuleHit[] => {
    const column = columnDefOf(command.def);
    if (command.subtype === 'AT_AddColumn' && column) {
      return addedColumnHits(column, subject(column.colname ?? ''));
    }
    const notNullColumns = notNullTargets(command);
    return notNullColumns
      .filter((name) => !context.catalog.provesNotNull(target.tableKey, name))
      .map((name) => ({ rule: 'set-not-null', message: `SET NOT NULL on ${subject(name)}` }));
  });
};

function addedColumnHits(column: ColumnDef, subject: string): RuleHit[] {
  const constraints = columnConstraints(column);
  const defaultExpression = constraints.find((c) => c.contype === 'CONSTR_DEFAULT')?.raw_expr;
  const hasDefault = defaultExpression !== undefined && !isNullConstant(defaultExpression);
  const perRowValue = perRowValueOf(column, defaultExpression);
  const hits: RuleHit[] = [];
  if (perRowValue) {
    hits.push({ rule: 'volatile-default', message: `${subject}: ${perRowValue}` });
  }
  const notNull = constraints.some(
    (c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY',
  );
  if (notNull && !hasDefault && !perRowValue) {
    hits.push({
      rule: 'add-column-not-null-without-default',
      message: `adds ${subject} NOT NULL without a DEFAULT`,
    });
  }
  return hits;
}

function perRowValueOf(
  column: ColumnDef,
  defaultExpression: ColumnDef['raw_default'],
): string | undefined {
  if (isSerialType(column.typeName))
    return `${stringsOf(column.typeName?.names).join('.')} uses nextval()`;
  const constraints = columnConstraints(column);
  if (constraints.some((c) => c.contype === 'CONSTR_IDENTITY')) return 'identity column';
  if (constraints.some((c) => c.contype === 'CONSTR_GENERATED')) return 'stored generated column';
  const volatile = functionNamesIn(defaultExpression).filter(
    (name) => !NON_VOLATILE_FUNCTIONS.has(name),
  );
  return volatile.length > 0
    ? `DEFAULT calls ${volatile.map((name) => `${name}()`).join(', ')}`
    : undefined;
}

/** Columns a command makes NOT NULL after checking every row (unless already proven). */
function notNullTargets(command: AlterTableCmd): string[] {
  if (command.subtype === 'AT_SetNotNull') return [command.name ?? ''];
  const constraint = constraintOf(command.def);
  if (command.subtype === 'AT_AddConstraint' && constraint?.contype === 'CONSTR_NOTNULL') {
    return constraint.skip_validation ? [] : stringsOf(constraint.keys);
  }
  return [];
}
