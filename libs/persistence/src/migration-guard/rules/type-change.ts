import type { ColumnDef, Node } from 'libpg-query';
import {
  columnTypeOf,
  typeChangeKeepsIndexes,
  typeChangeVerdict,
  type ColumnType,
} from '../column-types.js';
import type { RuleHit } from '../finding.js';
import { alterTableOf, columnDefOf, displayKey, stringsOf } from '../pg-ast.js';
import type { RuleContext, StatementRule } from '../rule-context.js';

/** unsafe-type-change, type-change-needs-utc-session. Enum-to-enum conversions belong to the enum rules. */
export const checkTypeChange: StatementRule = (statement, context) => {
  const target = alterTableOf(statement);
  if (!target || context.isNewTable(target.tableKey)) return [];
  const isEnum = (key: string): boolean => context.catalog.hasEnum(key);
  return target.commands.flatMap((command): RuleHit[] => {
    if (command.subtype !== 'AT_AlterColumnType') return [];
    const column = command.name ?? '';
    const subject = `${displayKey(target.tableKey)}.${column}`;
    const before = context.catalog.column(target.tableKey, column)?.type;
    const definition = columnDefOf(command.def);
    const after = columnTypeOf(definition?.typeName, isEnum);
    if (!before) {
      return [
        {
          rule: 'unsafe-type-change',
          message: `previous type of ${subject} is unknown (no earlier migration defines it), so the change cannot be proven a safe widening`,
        },
      ];
    }
    if (isEnum(before.name) && isEnum(after.name)) return [];
    const unsafe = (reason: string): RuleHit[] => [
      { rule: 'unsafe-type-change', message: `${subject}${reason}` },
    ];
    const verdict = typeChangeVerdict(before, after);
    if (!verdict.safe) return unsafe(` ${verdict.reason}`);
    // Observed on PG 15: Postgres skips the rewrite only when the new value is the old one
    // relabelled; any other USING expression is computed for every row.
    if (definition && computesNewValues(definition, column, after, isEnum)) {
      return unsafe(': the USING expression computes every value anew, which rewrites the table');
    }
    // Observed on PG 15: even without a rewrite, CHECKs on the column are re-validated by a full
    // scan, and indexes are rebuilt unless the new type keeps their operator family and collation.
    const checks = context.catalog.checksOnColumn(target.tableKey, column);
    if (checks.length > 0) {
      return unsafe(
        `: CHECK ${checks.join(', ')} is re-validated by a scan of the whole table under ACCESS EXCLUSIVE`,
      );
    }
    const indexes = context.catalog.indexesOnColumn(target.tableKey, column).map(displayKey);
    const rebuildsIndexes = (why: string): RuleHit[] =>
      unsafe(`: ${why} rebuilds ${indexes.join(', ')} under ACCESS EXCLUSIVE`);
    if (indexes.length > 0 && definition?.collClause) {
      return rebuildsIndexes(`COLLATE ${stringsOf(definition.collClause.collname).join('.')}`);
    }
    if (!verdict.onlyInUtcSession) {
      return indexes.length > 0 && !typeChangeKeepsIndexes(before, after)
        ? rebuildsIndexes(`the new type's operator class`)
        : [];
    }
    if (indexes.length > 0) return rebuildsIndexes('timestamp ↔ timestamptz');
    return zoneSwitchHits(subject, context);
  });
};

function zoneSwitchHits(subject: string, context: RuleContext): RuleHit[] {
  if (context.sessionTimeZone === 'utc') return [];
  if (context.sessionTimeZone === 'other') {
    return [
      {
        rule: 'unsafe-type-change',
        message: `${subject}: timestamp ↔ timestamptz in a session whose TimeZone is not UTC converts (rewrites) every value`,
      },
    ];
  }
  return [
    {
      rule: 'type-change-needs-utc-session',
      message: `${subject}: timestamp ↔ timestamptz is a relabel only when the session TimeZone is UTC, which this migration does not set`,
    },
  ];
}

/**
 * True unless USING is absent, the column itself, or the column cast to the new type (what
 * Postgres does without USING).
 */
function computesNewValues(
  definition: ColumnDef,
  column: string,
  newType: ColumnType,
  isEnum: (key: string) => boolean,
): boolean {
  let expression: Node | undefined = definition.raw_default;
  if (!expression) return false;
  while ('TypeCast' in expression) {
    const cast: ColumnType = columnTypeOf(expression.TypeCast.typeName, isEnum);
    if (cast.name !== newType.name || expression.TypeCast.arg === undefined) return true;
    expression = expression.TypeCast.arg;
  }
  if (!('ColumnRef' in expression)) return true;
  const names = stringsOf(expression.ColumnRef.fields);
  return names.length !== 1 || names[0] !== column;
}
