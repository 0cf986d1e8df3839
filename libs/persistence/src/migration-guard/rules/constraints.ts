import type { Constraint } from 'libpg-query';
import type { RuleHit } from '../finding.js';
import {
  alterTableOf,
  columnConstraints,
  columnDefOf,
  constraintOf,
  displayKey,
} from '../pg-ast.js';
import type { StatementRule } from '../rule-context.js';

/** constraint-not-valid, unique-constraint-existing-table, not-valid-and-validate-same-migration. */
export const checkConstraints: StatementRule = (statement, context) => {
  const target = alterTableOf(statement);
  if (!target || context.isNewTable(target.tableKey)) return [];
  const table = displayKey(target.tableKey);
  return target.commands.flatMap((command): RuleHit[] => {
    if (command.subtype === 'AT_AddConstraint') {
      const constraint = constraintOf(command.def);
      return constraint
        ? constraintHits(constraint, `${table} constraint ${constraint.conname ?? ''}`)
        : [];
    }
    if (command.subtype === 'AT_AddColumn') {
      const column = columnDefOf(command.def);
      const subject = `${table}.${column?.colname ?? ''} inline constraint`;
      return column ? columnConstraints(column).flatMap((c) => constraintHits(c, subject)) : [];
    }
    const validatesOwnNotValid =
      command.subtype === 'AT_ValidateConstraint' &&
      context.notValidConstraints.has(`${target.tableKey}.${command.name ?? ''}`);
    return validatesOwnNotValid && context.transactional
      ? [
          {
            rule: 'not-valid-and-validate-same-migration',
            message: `${table} constraint ${command.name ?? ''} is added NOT VALID and validated in the same transaction`,
          },
        ]
      : [];
  });
};

function constraintHits(constraint: Constraint, subject: string): RuleHit[] {
  switch (constraint.contype) {
    case 'CONSTR_FOREIGN':
    case 'CONSTR_CHECK':
      return constraint.skip_validation
        ? []
        : [
            {
              rule: 'constraint-not-valid',
              message: `${subject}: ${constraint.contype === 'CONSTR_CHECK' ? 'CHECK' : 'FOREIGN KEY'} without NOT VALID`,
            },
          ];
    case 'CONSTR_UNIQUE':
    case 'CONSTR_PRIMARY':
    case 'CONSTR_EXCLUSION':
      return constraint.indexname
        ? []
        : [
            {
              rule: 'unique-constraint-existing-table',
              message: `${subject}: ${constraint.contype.replace('CONSTR_', '')} builds its index under lock`,
            },
          ];
    default:
      return [];
  }
}
