import { columnTypeOf, typeChangeVerdict } from '../column-types.js';
import type { RuleHit } from '../finding.js';
import { alterTableOf, columnDefOf, displayKey } from '../pg-ast.js';
import type { StatementRule } from '../rule-context.js';

/** unsafe-type-change. Enum-to-enum conversions belong to the enum rules. */
export const checkTypeChange: StatementRule = (statement, context) => {
  const target = alterTableOf(statement);
  if (!target || context.isNewTable(target.tableKey)) return [];
  const isEnum = (key: string): boolean => context.catalog.hasEnum(key);
  return target.commands.flatMap((command): RuleHit[] => {
    if (command.subtype !== 'AT_AlterColumnType') return [];
    const subject = `${displayKey(target.tableKey)}.${command.name ?? ''}`;
    const before = context.catalog.column(target.tableKey, command.name ?? '')?.type;
    const after = columnTypeOf(columnDefOf(command.def)?.typeName, isEnum);
    if (!before) {
      return [
        {
          rule: 'unsafe-type-change',
          message: `previous type of ${subject} is unknown (no earlier migration defines it), so the change cannot be proven a safe widening`,
        },
      ];
    }
    if (isEnum(before.name) && isEnum(after.name)) return [];
    const verdict = typeChangeVerdict(before, after);
    return verdict.safe
      ? []
      : [{ rule: 'unsafe-type-change', message: `${subject} ${verdict.reason}` }];
  });
};
