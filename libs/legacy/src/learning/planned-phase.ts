import type { ImportContext, ImportPhase, PhaseBatch, SqlClient } from '../import-phase.js';
import { countStaged } from '../staged-rows.js';
import { reportOutcomes, type ReportOutcome } from '../report-outcomes.js';

/**
 * The next keyset page of a staged table, as a subquery: `$1` is the last id done (null at the
 * start), `$2` the batch size.
 */
export function stagedPage(table: string): string {
  return `(SELECT * FROM legacy_import.${table}
            WHERE $1::uuid IS NULL OR id > $1::uuid ORDER BY id LIMIT $2)`;
}

/** A legacy wall-clock `timestamp` read in the old server's zone (`$3`), as a timestamptz. */
export function wallClock(column: string): string {
  return `(${column} AT TIME ZONE $3::text)`;
}

export interface PlannedPhaseSpec {
  /** The legacy table: the checkpoint, the progress line and the report's table name. */
  name: string;
  /**
   * One batch's plan: a SELECT over `stagedPage(name)` with an `id` column (the legacy id) and
   * whatever the writes and the report need. Parameters: $1 after key, $2 batch size, $3 timezone.
   * It becomes the temp table `legacy_plan` for the rest of the batch.
   */
  plan: string;
  /** Statements writing native rows (and maps) from `legacy_plan`, run in order. */
  writes: readonly string[] | ((client: SqlClient) => Promise<void>);
  /**
   * A SELECT of `id, outcome, reason` over `legacy_plan`, run after the writes; rows with a null
   * outcome were imported unchanged.
   */
  report: string;
}

/**
 * A phase whose batches are planned in SQL: plan the page into a temp table (dropped at commit),
 * write native rows set-based from it, then record what the report query says about each row.
 */
export function plannedPhase(spec: PlannedPhaseSpec): ImportPhase {
  return {
    name: spec.name,
    total: (client) => countStaged(client, spec.name),
    async runBatch(client, afterKey, context) {
      const batch = await createPlan(client, spec.plan, afterKey, context);
      if (!batch.units) return batch;
      if (typeof spec.writes === 'function') await spec.writes(client);
      else for (const statement of spec.writes) await client.query(statement);
      await reportPlan(client, spec.name, spec.report);
      return batch;
    },
  };
}

async function createPlan(
  client: SqlClient,
  plan: string,
  afterKey: string | null,
  context: ImportContext,
): Promise<PhaseBatch> {
  // A dry run may hold several batches in one transaction, so an earlier plan can still be there.
  await client.query(`DROP TABLE IF EXISTS pg_temp.legacy_plan`);
  // JIT compiling these one-off plans costs more (about a second) than running them.
  await client.query(`SET LOCAL jit = off`);
  // Postgres refuses a parameter the statement never uses, so pass the zone only when it is read.
  const values: unknown[] = [afterKey, context.batchSize];
  if (/\$3\b/.test(plan)) values.push(context.timezone);
  await client.query(`CREATE TEMP TABLE legacy_plan ON COMMIT DROP AS ${plan}`, values);
  const { rows } = await client.query<{ units: number; last_key: string | null }>(
    `SELECT count(*)::int AS units, (SELECT id::text FROM legacy_plan ORDER BY id DESC LIMIT 1) AS last_key
       FROM legacy_plan`,
  );
  return { lastKey: rows[0].last_key ?? afterKey, units: rows[0].units };
}

async function reportPlan(client: SqlClient, table: string, report: string): Promise<void> {
  const { rows } = await client.query<{ id: string; outcome: ReportOutcome; reason: string }>(
    `SELECT id, outcome, reason FROM (${report}) AS report WHERE outcome IS NOT NULL ORDER BY id`,
  );
  await reportOutcomes(
    client,
    rows.map((row) => ({ table, legacyId: row.id, outcome: row.outcome, reason: row.reason })),
  );
}
