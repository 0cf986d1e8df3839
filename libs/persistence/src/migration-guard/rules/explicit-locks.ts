import type { AlterDomainStmt } from 'libpg-query';
import type { RuleHit } from '../finding.js';
import { alterTableOf, displayKey, keyFromNameParts, stringsOf, tableKeyOf } from '../pg-ast.js';
import type { RuleContext, StatementRule } from '../rule-context.js';

/** LockStmt modes from SHARE (5) up block every write to the table until the transaction ends. */
const WRITE_BLOCKING_MODES: Readonly<Record<number, string>> = {
  5: 'SHARE',
  6: 'SHARE ROW EXCLUSIVE',
  7: 'EXCLUSIVE',
  8: 'ACCESS EXCLUSIVE',
};

/**
 * lock-table: an explicit LOCK TABLE that blocks writes to a pre-existing table for the rest of
 * the migration. domain-constraint-not-valid: ALTER DOMAIN ADD CONSTRAINT checks every column of
 * every table that uses the domain while holding locks that block their writes; so do VALIDATE
 * CONSTRAINT and SET NOT NULL (domain-validating-scan; observed on PG 15: SHARE on each table
 * with a column of the domain for the whole scan, unlike a table's VALIDATE).
 * attach-partition-scan: ATTACH PARTITION of a pre-existing table holds ACCESS EXCLUSIVE on it
 * while scanning every row against the bound (observed on PG 15: one seq scan of the partition).
 */
export const checkExplicitLocks: StatementRule = (statement, context) => {
  if ('LockStmt' in statement) {
    const mode = WRITE_BLOCKING_MODES[statement.LockStmt.mode ?? 8];
    if (!mode) return [];
    return (statement.LockStmt.relations ?? []).flatMap((relation): RuleHit[] => {
      const key = 'RangeVar' in relation ? tableKeyOf(relation.RangeVar) : undefined;
      return key === undefined || context.isNewTable(key)
        ? []
        : [{ rule: 'lock-table', message: `LOCK TABLE ${displayKey(key)} IN ${mode} MODE` }];
    });
  }
  const target = alterTableOf(statement);
  if (target) {
    return target.commands.flatMap((command): RuleHit[] => {
      const partition =
        command.subtype === 'AT_AttachPartition' && command.def && 'PartitionCmd' in command.def
          ? command.def.PartitionCmd.name
          : undefined;
      const key = partition && tableKeyOf(partition);
      return key === undefined || context.isNewTable(key)
        ? []
        : [
            {
              rule: 'attach-partition-scan',
              message: `ATTACH PARTITION ${displayKey(key)} to ${displayKey(target.tableKey)}`,
            },
          ];
    });
  }
  if ('AlterDomainStmt' in statement) return domainHits(statement.AlterDomainStmt, context);
  return [];
};

/** AlterDomainStmt.subtype: C = ADD CONSTRAINT, V = VALIDATE CONSTRAINT, O = SET NOT NULL. */
function domainHits(alter: AlterDomainStmt, context: RuleContext): RuleHit[] {
  const key = keyFromNameParts(stringsOf(alter.typeName));
  if (context.isNewType(key)) return [];
  const domain = displayKey(key);
  if (alter.subtype === 'C') {
    const constraint = alter.def && 'Constraint' in alter.def ? alter.def.Constraint : undefined;
    return constraint && !constraint.skip_validation
      ? [
          {
            rule: 'domain-constraint-not-valid',
            message: `ALTER DOMAIN ${domain} ADD CONSTRAINT without NOT VALID`,
          },
        ]
      : [];
  }
  if (alter.subtype === 'V') {
    return [
      {
        rule: 'domain-validating-scan',
        message: `ALTER DOMAIN ${domain} VALIDATE CONSTRAINT ${alter.name ?? ''}`,
      },
    ];
  }
  if (alter.subtype === 'O') {
    return [{ rule: 'domain-validating-scan', message: `ALTER DOMAIN ${domain} SET NOT NULL` }];
  }
  return [];
}
