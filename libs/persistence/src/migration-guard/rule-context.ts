import type { Node } from 'libpg-query';
import type { Catalog } from './catalog.js';
import type { Phase, RuleHit } from './finding.js';

/** What a rule may know when it looks at one statement of up() or down(). */
export interface RuleContext {
  /** Schema state just before this statement. */
  readonly catalog: Catalog;
  readonly phase: Phase;
  /** Whether this phase runs inside a transaction (down() always does under TypeORM). */
  readonly transactional: boolean;
  /** Statements in the same queryRunner.query string (more than one = one implicit transaction). */
  readonly statementsInCall: number;
  /**
   * "New" = created earlier in this phase, or (in down()) created by this migration's up():
   * lock and rewrite hazards do not apply to it, and dropping it loses nothing.
   */
  isNewTable(tableKey: string): boolean;
  isNewColumn(tableKey: string, column: string): boolean;
  isNewType(typeKey: string): boolean;
  isNewIndex(indexKey: string): boolean;
  isNewSchema(schema: string): boolean;
  /** Line of a later ADD COLUMN of the same column in this phase (TypeORM's drop-and-add). */
  laterAddLine(tableKey: string, column: string): number | undefined;
  readonly lockTimeoutSet: boolean;
  /**
   * The session TimeZone an earlier SET [LOCAL] TIME ZONE of this phase chose: 'utc', 'other'
   * (a named zone that is not UTC), or undefined (not set, or DEFAULT / LOCAL: the server's).
   */
  readonly sessionTimeZone: 'utc' | 'other' | undefined;
  readonly lockWarningIssued: boolean;
  /** `tableKey.constraint` of constraints added NOT VALID earlier in this phase. */
  readonly notValidConstraints: ReadonlySet<string>;
  /** Columns added earlier in this phase to tables that existed before it, by table key. */
  readonly columnsAddedToExistingTables: ReadonlyMap<string, ReadonlySet<string>>;
  /** Enum types whose columns were converted to another enum earlier in this phase. */
  readonly rebuiltEnums: ReadonlySet<string>;
}

export type StatementRule = (statement: Node, context: RuleContext) => RuleHit[];
