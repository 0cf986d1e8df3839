import type { Node, VariableSetStmt } from 'libpg-query';
import type { RuleHit } from '../finding.js';
import {
  alterTableOf,
  constraintOf,
  displayKey,
  droppedObjectKeys,
  indexKeyOf,
  integerOf,
  tableKeyOf,
  truncatedTableKeys,
} from '../pg-ast.js';
import type { RuleContext, StatementRule } from '../rule-context.js';

/** create-index-non-concurrent, drop-index-non-concurrent, concurrently-in-transaction, missing-lock-timeout. */
export const checkLocking: StatementRule = (statement, context) => [
  ...indexBuilds(statement, context),
  ...indexDrops(statement, context),
  ...concurrentOutsideTransactionOnly(statement, context),
  ...missingLockTimeout(statement, context),
];

function indexBuilds(statement: Node, context: RuleContext): RuleHit[] {
  if (!('IndexStmt' in statement)) return [];
  const index = statement.IndexStmt;
  const tableKey = tableKeyOf(index.relation);
  if (index.concurrent || context.isNewTable(tableKey)) return [];
  // Its SHARE lock blocks writes, and only REFRESH writes a materialized view; reads go on.
  if (context.catalog.isMaterializedView(tableKey)) return [];
  const name = indexKeyOf(index);
  return [
    {
      rule: 'create-index-non-concurrent',
      message: `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${name ? displayKey(name) : ''} on ${displayKey(tableKey)}`,
    },
  ];
}

function indexDrops(statement: Node, context: RuleContext): RuleHit[] {
  if (!('DropStmt' in statement)) return [];
  const drop = statement.DropStmt;
  if (drop.removeType !== 'OBJECT_INDEX' || drop.concurrent) return [];
  return droppedObjectKeys(drop)
    .filter((key) => !context.isNewIndex(key))
    .map((key) => ({
      rule: 'drop-index-non-concurrent',
      message: `DROP INDEX ${displayKey(key)}`,
    }));
}

function concurrentOperation(statement: Node): string | undefined {
  if ('IndexStmt' in statement && statement.IndexStmt.concurrent)
    return 'CREATE INDEX CONCURRENTLY';
  if ('DropStmt' in statement && statement.DropStmt.concurrent) return 'DROP INDEX CONCURRENTLY';
  if (
    'ReindexStmt' in statement &&
    (statement.ReindexStmt.params ?? []).some(
      (param) => 'DefElem' in param && param.DefElem.defname === 'concurrently',
    )
  ) {
    return 'REINDEX CONCURRENTLY';
  }
  const detaches = alterTableOf(statement)?.commands.some((command) => {
    const partition =
      command.def && 'PartitionCmd' in command.def ? command.def.PartitionCmd : undefined;
    return command.subtype === 'AT_DetachPartition' && !!partition?.concurrent;
  });
  return detaches ? 'DETACH PARTITION CONCURRENTLY' : undefined;
}

function concurrentOutsideTransactionOnly(statement: Node, context: RuleContext): RuleHit[] {
  const operation = concurrentOperation(statement);
  if (!operation) return [];
  let where: string | undefined;
  if (context.phase === 'down') where = 'down(), which TypeORM always runs in a transaction';
  else if (context.transactional) where = 'a migration without `transaction = false`';
  else if (context.statementsInCall > 1)
    where = 'a multi-statement query string (one implicit transaction)';
  return where
    ? [{ rule: 'concurrently-in-transaction', message: `${operation} in ${where}` }]
    : [];
}

function missingLockTimeout(statement: Node, context: RuleContext): RuleHit[] {
  if (context.lockTimeoutSet || context.lockWarningIssued) return [];
  const locked = lockedExistingTable(statement, context);
  return locked
    ? [{ rule: 'missing-lock-timeout', message: `${locked} before any SET lock_timeout` }]
    : [];
}

/** Describes the lock when the statement takes a conflicting lock on a table that already has traffic. */
export function lockedExistingTable(statement: Node, context: RuleContext): string | undefined {
  const existing = (tableKey: string): boolean => !context.isNewTable(tableKey);
  const alter = alterTableOf(statement);
  if (alter) {
    if (existing(alter.tableKey)) return `ALTER TABLE ${displayKey(alter.tableKey)}`;
    const referenced = referencedTables(alter.commands.map((command) => command.def)).find(
      existing,
    );
    return referenced && `FOREIGN KEY to ${displayKey(referenced)}`;
  }
  if ('CreateStmt' in statement) {
    const referenced = referencedTables(statement.CreateStmt.tableElts).find(existing);
    return referenced && `FOREIGN KEY to ${displayKey(referenced)}`;
  }
  if ('IndexStmt' in statement && !statement.IndexStmt.concurrent) {
    const tableKey = tableKeyOf(statement.IndexStmt.relation);
    return existing(tableKey) ? `CREATE INDEX on ${displayKey(tableKey)}` : undefined;
  }
  if ('DropStmt' in statement && !statement.DropStmt.concurrent) {
    const drop = statement.DropStmt;
    const keys = droppedObjectKeys(drop);
    if (drop.removeType === 'OBJECT_TABLE') {
      const key = keys.find(existing);
      return key && `DROP TABLE ${displayKey(key)}`;
    }
    if (drop.removeType === 'OBJECT_INDEX') {
      const key = keys.find((index) => !context.isNewIndex(index));
      return key && `DROP INDEX ${displayKey(key)}`;
    }
    return undefined;
  }
  const relation =
    ('RenameStmt' in statement && statement.RenameStmt.relation) ||
    ('AlterObjectSchemaStmt' in statement && statement.AlterObjectSchemaStmt.relation) ||
    ('CreateTrigStmt' in statement && statement.CreateTrigStmt.relation) ||
    undefined;
  if (relation) {
    const tableKey = tableKeyOf(relation);
    return existing(tableKey) ? `locks ${displayKey(tableKey)}` : undefined;
  }
  if ('TruncateStmt' in statement) {
    const key = truncatedTableKeys(statement.TruncateStmt).find(existing);
    return key && `TRUNCATE ${displayKey(key)}`;
  }
  return undefined;
}

/** A foreign key locks the table it references (SHARE ROW EXCLUSIVE) even from a new table. */
function referencedTables(elements: (Node | undefined)[] | undefined): string[] {
  return (elements ?? []).flatMap((element) => {
    const constraints =
      element && 'ColumnDef' in element
        ? (element.ColumnDef.constraints ?? []).map(constraintOf)
        : [constraintOf(element)];
    return constraints.flatMap((constraint) =>
      constraint?.contype === 'CONSTR_FOREIGN' ? [tableKeyOf(constraint.pktable)] : [],
    );
  });
}

/**
 * true: a usable lock_timeout is now in force; false: it was cleared; undefined: unrelated.
 * SET LOCAL outside a transaction has no effect, and 0 means "wait forever".
 */
export function lockTimeoutEffect(statement: Node, transactional: boolean): boolean | undefined {
  if (!('VariableSetStmt' in statement)) return undefined;
  const set: VariableSetStmt = statement.VariableSetStmt;
  if (set.name !== 'lock_timeout') return undefined;
  if (set.kind !== 'VAR_SET_VALUE') return false;
  if (set.is_local && !transactional) return false;
  const [value] = set.args ?? [];
  if (!value || !('A_Const' in value)) return false;
  const text = value.A_Const.sval?.sval;
  return text === undefined ? integerOf(value) !== 0 : !/^\s*0+\s*(ms|s|min)?\s*$/.test(text);
}
