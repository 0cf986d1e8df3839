import type { Node } from 'libpg-query';
import type { RuleHit } from '../finding.js';
import { displayKey, tableKeyOf } from '../pg-ast.js';
import type { RuleContext, StatementRule } from '../rule-context.js';

/**
 * ALTER TABLE forms that copy the whole table into a new relfilenode under ACCESS EXCLUSIVE
 * (observed on PG 15: relfilenode changes; SET TABLESPACE to the table's own tablespace and
 * SET ACCESS METHOD heap on a heap table do not, but only the former is unknowable here). SET STORAGE, SET (fillfactor ...) and the like only touch the catalog.
 */
const REWRITING_ALTER_FORMS: Readonly<Record<string, string>> = {
  AT_SetLogged: 'SET LOGGED',
  AT_SetUnLogged: 'SET UNLOGGED',
  AT_SetTableSpace: 'SET TABLESPACE',
  AT_SetAccessMethod: 'SET ACCESS METHOD',
};

/** whole-table-rewrite-command: maintenance commands that rewrite or lock a table with traffic. */
export const checkWholeTableCommands: StatementRule = (statement, context) => {
  const hit = (what: string, tableKey: string | undefined, lock: string): RuleHit[] =>
    tableKey !== undefined && context.isNewTable(tableKey)
      ? []
      : [
          {
            rule: 'whole-table-rewrite-command',
            message: `${what}${tableKey === undefined ? '' : ` ${displayKey(tableKey)}`} ${lock}`,
          },
        ];
  if ('VacuumStmt' in statement) {
    const vacuum = statement.VacuumStmt;
    if (!vacuum.is_vacuumcmd || !hasOption(vacuum.options, 'full')) return [];
    const relations = (vacuum.rels ?? []).flatMap((rel) =>
      'VacuumRelation' in rel ? [tableKeyOf(rel.VacuumRelation.relation)] : [],
    );
    const rewrites = 'rewrites it under ACCESS EXCLUSIVE';
    return relations.length === 0
      ? hit('VACUUM FULL of every table', undefined, rewrites)
      : relations.flatMap((key) => hit('VACUUM FULL', key, rewrites));
  }
  if ('ClusterStmt' in statement) {
    const relation = statement.ClusterStmt.relation;
    return hit(
      'CLUSTER',
      relation && tableKeyOf(relation),
      'rewrites the table in index order under ACCESS EXCLUSIVE',
    );
  }
  if ('ReindexStmt' in statement) return reindexHits(statement, context, hit);
  if ('RefreshMatViewStmt' in statement) {
    const refresh = statement.RefreshMatViewStmt;
    return refresh.concurrent
      ? []
      : hit(
          'REFRESH MATERIALIZED VIEW',
          tableKeyOf(refresh.relation),
          'holds ACCESS EXCLUSIVE (no reads) for the whole query',
        );
  }
  if ('AlterTableStmt' in statement) {
    const alter = statement.AlterTableStmt;
    const tableKey = tableKeyOf(alter.relation);
    return (alter.cmds ?? []).flatMap((command) => {
      const alterCommand = 'AlterTableCmd' in command ? command.AlterTableCmd : undefined;
      // Every built-in table is heap, and SET ACCESS METHOD heap on a heap table is a no-op.
      const noOp = alterCommand?.subtype === 'AT_SetAccessMethod' && alterCommand.name === 'heap';
      const form = !noOp && REWRITING_ALTER_FORMS[alterCommand?.subtype ?? ''];
      return form
        ? hit(`ALTER TABLE ... ${form} of`, tableKey, 'rewrites it under ACCESS EXCLUSIVE')
        : [];
    });
  }
  return [];
};

function reindexHits(
  statement: Extract<Node, { ReindexStmt: unknown }>,
  context: RuleContext,
  hit: (what: string, tableKey: string | undefined, lock: string) => RuleHit[],
): RuleHit[] {
  const reindex = statement.ReindexStmt;
  if (hasOption(reindex.params, 'concurrently')) return [];
  const lock = 'blocks writes to the table (SHARE) and reads that use the index while it rebuilds';
  const key = reindex.relation && tableKeyOf(reindex.relation);
  if (reindex.kind === 'REINDEX_OBJECT_INDEX') {
    if (key !== undefined && context.isNewIndex(key)) return [];
    return hit('REINDEX INDEX', key, lock);
  }
  if (reindex.kind === 'REINDEX_OBJECT_TABLE') return hit('REINDEX TABLE', key, lock);
  return hit(
    `REINDEX ${reindex.kind?.replace('REINDEX_OBJECT_', '') ?? ''} ${reindex.name ?? ''}`.trimEnd(),
    undefined,
    lock,
  );
}

function hasOption(options: Node[] | undefined, name: string): boolean {
  return (options ?? []).some((option) => 'DefElem' in option && option.DefElem.defname === name);
}
