import type { Node, WithClause } from 'libpg-query';
import type { RuleHit } from '../finding.js';
import { displayKey, tableKeyOf, truncatedTableKeys } from '../pg-ast.js';
import type { RuleContext, StatementRule } from '../rule-context.js';
import { wholeTableBackfill } from './backfill.js';

/** truncate, delete-without-where, update-without-where; also inside WITH (data-modifying CTEs). */
export const checkDataStatements: StatementRule = (statement, context) => {
  if ('TruncateStmt' in statement) {
    return truncatedTableKeys(statement.TruncateStmt)
      .filter((key) => !context.isNewTable(key))
      .map((key) => ({ rule: 'truncate', message: `TRUNCATE ${displayKey(key)}` }));
  }
  if ('DeleteStmt' in statement) {
    const { relation, whereClause, withClause } = statement.DeleteStmt;
    return [
      ...withoutWhere(
        'delete-without-where',
        'DELETE FROM',
        tableKeyOf(relation),
        whereClause,
        context,
      ),
      ...inCommonTableExpressions(withClause, context),
    ];
  }
  if ('UpdateStmt' in statement) {
    const { relation, whereClause, withClause } = statement.UpdateStmt;
    // add-column-then-backfill already reports this UPDATE, more severely.
    if (wholeTableBackfill(statement.UpdateStmt, context)) {
      return inCommonTableExpressions(withClause, context);
    }
    return [
      ...withoutWhere('update-without-where', 'UPDATE', tableKeyOf(relation), whereClause, context),
      ...inCommonTableExpressions(withClause, context),
    ];
  }
  if ('InsertStmt' in statement)
    return inCommonTableExpressions(statement.InsertStmt.withClause, context);
  if ('SelectStmt' in statement)
    return inCommonTableExpressions(statement.SelectStmt.withClause, context);
  return [];
};

function withoutWhere(
  rule: 'delete-without-where' | 'update-without-where',
  verb: string,
  tableKey: string,
  whereClause: Node | undefined,
  context: RuleContext,
): RuleHit[] {
  if (whereClause || context.isNewTable(tableKey)) return [];
  return [{ rule, message: `${verb} ${displayKey(tableKey)} without WHERE` }];
}

function inCommonTableExpressions(
  withClause: WithClause | undefined,
  context: RuleContext,
): RuleHit[] {
  return (withClause?.ctes ?? []).flatMap((cte) => {
    const query = 'CommonTableExpr' in cte ? cte.CommonTableExpr.ctequery : undefined;
    return query ? checkDataStatements(query, context) : [];
  });
}
