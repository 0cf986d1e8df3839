import type { Node } from 'libpg-query';
import type { Catalog } from './catalog.js';
import { applyStatement } from './catalog-replay.js';
import type { ExtractedMigration, QueryCall } from './extract-sql.js';
import type { LocatedHit, Phase } from './finding.js';
import { objectChanges, objectId } from './object-lifecycle.js';
import { parseSql } from './parse-sql.js';
import { alterTableOf, columnDefOf, constraintOf } from './pg-ast.js';
import type { RuleContext } from './rule-context.js';
import {
  enumConversions,
  lockedExistingTable,
  lockTimeoutEffect,
  STATEMENT_RULES,
} from './rules/index.js';

interface PlannedStatement {
  node: Node;
  sql: string;
  line: number;
  statementsInCall: number;
}

interface PhaseResult {
  hits: LocatedHit[];
  /** Object ids created by this phase (see object-lifecycle.ts). */
  created: ReadonlySet<string>;
}

export interface MigrationCheck {
  hits: LocatedHit[];
  catalogAfterUp: Catalog;
}

/**
 * Checks up() against the catalog of earlier migrations, then down() against the catalog as up()
 * left it. Requires loadSqlParser() to have completed. `before` is not modified.
 */
export function checkMigration(migration: ExtractedMigration, before: Catalog): MigrationCheck {
  const catalogAfterUp = before.clone();
  const up = checkPhase(
    'up',
    migration.queries.up,
    catalogAfterUp,
    migration.transactional,
    new Set(),
  );
  // TypeORM 1.x reverts inside a transaction even when `transaction = false` (typeorm#9981).
  const down = checkPhase('down', migration.queries.down, catalogAfterUp.clone(), true, up.created);
  return { hits: [...up.hits, ...down.hits], catalogAfterUp };
}

/** Applies up() to `catalog` (for migrations older than the ones being linted). */
export function replayUp(migration: ExtractedMigration, catalog: Catalog): void {
  checkPhase('up', migration.queries.up, catalog, migration.transactional, new Set());
}

function checkPhase(
  phase: Phase,
  calls: QueryCall[],
  catalog: Catalog,
  transactional: boolean,
  createdByUp: ReadonlySet<string>,
): PhaseResult {
  const hits: LocatedHit[] = [];
  const statements: PlannedStatement[] = [];
  for (const call of calls) {
    const parsed = parseSql(call.sql);
    if (!parsed.ok) {
      hits.push({
        rule: 'unparseable-sql',
        line: call.line,
        phase,
        message: parsed.error,
        sql: call.sql,
      });
      continue;
    }
    for (const statement of parsed.statements) {
      statements.push({
        node: statement.node,
        sql: statement.text,
        line: call.line,
        statementsInCall: parsed.statements.length,
      });
    }
  }

  const tracker = new PhaseTracker(createdByUp);
  const additions = columnAdditions(statements);
  statements.forEach((statement, position) => {
    const context = tracker.contextFor(
      statement,
      position,
      catalog,
      phase,
      transactional,
      additions,
    );
    for (const rule of STATEMENT_RULES) {
      for (const hit of rule(statement.node, context)) {
        hits.push({ ...hit, line: statement.line, phase, sql: statement.sql });
      }
    }
    tracker.record(statement.node, context);
    applyStatement(catalog, statement.node);
  });
  return { hits, created: tracker.created };
}

/** For a statement that sets the session TimeZone: which zone (see RuleContext.sessionTimeZone). */
function timeZoneSetBy(node: Node): { zone: 'utc' | 'other' | undefined } | undefined {
  if (!('VariableSetStmt' in node) || node.VariableSetStmt.name !== 'timezone') return undefined;
  const [value] = node.VariableSetStmt.args ?? [];
  const zone = value && 'A_Const' in value ? value.A_Const.sval?.sval : undefined;
  if (zone === undefined) return { zone: undefined };
  return { zone: ['utc', 'etc/utc', 'zulu'].includes(zone.toLowerCase()) ? 'utc' : 'other' };
}

interface ColumnAddition {
  position: number;
  line: number;
  id: string;
}

function columnAdditions(statements: PlannedStatement[]): ColumnAddition[] {
  return statements.flatMap((statement, position) => {
    const target = alterTableOf(statement.node);
    return (target?.commands ?? []).flatMap((command) => {
      const column = columnDefOf(command.def)?.colname;
      return command.subtype === 'AT_AddColumn' && target && column !== undefined
        ? [{ position, line: statement.line, id: objectId.column(target.tableKey, column) }]
        : [];
    });
  });
}

/** What happened earlier in one phase: created/dropped objects, lock_timeout, NOT VALID, rebuilds. */
class PhaseTracker {
  readonly created = new Set<string>();
  /** Pre-existing objects dropped in this phase: re-creating them does not make them new. */
  private readonly dropped = new Set<string>();
  private lockTimeoutSet = false;
  private lockWarningIssued = false;
  private sessionTimeZone: RuleContext['sessionTimeZone'];
  private readonly notValidConstraints = new Set<string>();
  private readonly rebuiltEnums = new Set<string>();
  private readonly columnsAddedToExistingTables = new Map<string, Set<string>>();

  constructor(private readonly createdByUp: ReadonlySet<string>) {}

  private isNew(id: string): boolean {
    return this.created.has(id) || this.createdByUp.has(id);
  }

  contextFor(
    statement: PlannedStatement,
    position: number,
    catalog: Catalog,
    phase: Phase,
    transactional: boolean,
    additions: ColumnAddition[],
  ): RuleContext {
    const isNewTable = (key: string): boolean => this.isNew(objectId.table(key));
    return {
      catalog,
      phase,
      transactional,
      statementsInCall: statement.statementsInCall,
      isNewTable,
      isNewColumn: (tableKey, column) =>
        isNewTable(tableKey) || this.isNew(objectId.column(tableKey, column)),
      isNewType: (key) => this.isNew(objectId.type(key)),
      isNewIndex: (key) => {
        const tableKey = catalog.indexTable(key);
        return this.isNew(objectId.index(key)) || (tableKey !== undefined && isNewTable(tableKey));
      },
      isNewSchema: (name) => this.isNew(objectId.schema(name)),
      laterAddLine: (tableKey, column) => {
        const id = objectId.column(tableKey, column);
        return additions.find((addition) => addition.position >= position && addition.id === id)
          ?.line;
      },
      lockTimeoutSet: this.lockTimeoutSet,
      lockWarningIssued: this.lockWarningIssued,
      sessionTimeZone: this.sessionTimeZone,
      notValidConstraints: this.notValidConstraints,
      rebuiltEnums: this.rebuiltEnums,
      columnsAddedToExistingTables: this.columnsAddedToExistingTables,
    };
  }

  /** Call after the rules and before the statement is applied to the catalog. */
  record(node: Node, context: RuleContext): void {
    if (!this.lockTimeoutSet && lockedExistingTable(node, context)) this.lockWarningIssued = true;
    this.lockTimeoutSet = lockTimeoutEffect(node, context.transactional) ?? this.lockTimeoutSet;
    const timeZone = timeZoneSetBy(node);
    if (timeZone) this.sessionTimeZone = timeZone.zone;

    const changes = objectChanges(node, context.catalog);
    for (const id of changes.dropped) {
      if (!this.isNew(id)) this.dropped.add(id);
    }
    for (const id of changes.created) {
      if (!this.dropped.has(id)) this.created.add(id);
    }
    for (const [from, to] of changes.renamed) {
      if (this.isNew(from)) this.created.add(to);
    }

    const target = alterTableOf(node);
    for (const command of target?.commands ?? []) {
      const constraint = constraintOf(command.def);
      if (target && command.subtype === 'AT_AddConstraint' && constraint?.skip_validation) {
        this.notValidConstraints.add(`${target.tableKey}.${constraint.conname ?? ''}`);
      }
      const added = columnDefOf(command.def)?.colname;
      if (
        target &&
        command.subtype === 'AT_AddColumn' &&
        added &&
        !context.isNewTable(target.tableKey)
      ) {
        const columns = this.columnsAddedToExistingTables.get(target.tableKey) ?? new Set<string>();
        this.columnsAddedToExistingTables.set(target.tableKey, columns.add(added));
      }
    }
    for (const conversion of enumConversions(node, context.catalog)) {
      this.rebuiltEnums.add(conversion.fromType);
    }
  }
}
