import type { UpdateStmt } from 'libpg-query';
import { columnNamesIn, displayKey, tableKeyOf } from '../pg-ast.js';
import type { RuleContext, StatementRule } from '../rule-context.js';

/**
 * add-column-then-backfill: an UPDATE that touches every row of a table that got a column earlier
 * in the same transaction. "Every row" = no WHERE, or a WHERE that only tests the new columns
 * (`WHERE new_col IS NULL` matches the whole table right after the ADD).
 */
export const checkBackfillAfterAddColumn: StatementRule = (statement, context) => {
  if (!('UpdateStmt' in statement)) return [];
  const added = wholeTableBackfill(statement.UpdateStmt, context);
  if (!added) return [];
  const table = displayKey(tableKeyOf(statement.UpdateStmt.relation));
  return [
    {
      rule: 'add-column-then-backfill',
      message: `UPDATE of every row of ${table} in the transaction that added ${added.join(', ')}`,
    },
  ];
};

/** The columns added earlier in this transaction when the UPDATE rewrites the whole table. */
export function wholeTableBackfill(update: UpdateStmt, context: RuleContext): string[] | undefined {
  if (!context.transactional) return undefined;
  const added = context.columnsAddedToExistingTables.get(tableKeyOf(update.relation));
  if (!added || added.size === 0) return undefined;
  const tested = columnNamesIn(update.whereClause);
  const everyRow = update.whereClause === undefined || tested.every((name) => added.has(name));
  return everyRow ? [...added] : undefined;
}
