import type { StatementRule } from '../rule-context.js';
import { checkBackfillAfterAddColumn } from './backfill.js';
import { checkColumns } from './columns.js';
import { checkConstraints } from './constraints.js';
import { checkDataLoss } from './data-loss.js';
import { checkDataStatements } from './data-statements.js';
import { checkEnums } from './enums.js';
import { checkExplicitLocks } from './explicit-locks.js';
import { checkLocking } from './locking.js';
import { checkOpaqueCode } from './opaque-code.js';
import { checkStyle } from './style.js';
import { checkTypeChange } from './type-change.js';
import { checkWholeTableCommands } from './whole-table-commands.js';

export const STATEMENT_RULES: readonly StatementRule[] = [
  checkDataLoss,
  checkTypeChange,
  checkEnums,
  checkColumns,
  checkConstraints,
  checkLocking,
  checkWholeTableCommands,
  checkExplicitLocks,
  checkDataStatements,
  checkBackfillAfterAddColumn,
  checkOpaqueCode,
  checkStyle,
];

export { enumConversions } from './enums.js';
export { lockedExistingTable, lockTimeoutEffect } from './locking.js';
