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
    if (!verdict.safe)
      return [{ rule: 'unsafe-type-change', message: `${subject} ${verdict.reason}` }];
    const column = command.name ?? '';
    // Observed on PG 15: even without a rewrite, CHECKs on the column are re-validated by a full
    // scan, and a timestamp ↔ timestamptz switch rebuilds the column's indexes.
    const checks = context.catalog.checksOnColumn(target.tableKey, column);
    if (checks.length > 0) {
      return [
        {
          rule: 'unsafe-type-change',
          message: `${subject}: CHECK ${checks.join(', ')} is re-validated by a scan of the whole table under ACCESS EXCLUSIVE`,
        },
      ];
    }
    if (!verdict.onlyInUtcSession) return [];
    const indexes = context.catalog.indexesOnColumn(target.tableKey, column);
    if (indexes.length > 0) {
      return [
        {
          rule: 'unsafe-type-change',
          message: `${subject}: timestamp ↔ timestamptz rebuilds ${indexes.map(displayKey).join(', ')} under ACCESS EXCLUSIVE`,
        },
      ];
    }
    return context.sessionTimeZoneUtc
      ? []
      : [
          {
            rule: 'type-change-needs-utc-session',
            message: `${subject}: timestamp ↔ timestamptz is a relabel only when the session TimeZone is UTC, which this migration does not set`,
          },
        ];
  });
};
