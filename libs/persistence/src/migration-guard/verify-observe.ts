import type pg from 'pg';

/** A relation that existed before the migration: a table, or an index / TOAST table of one. */
export interface Relation {
  oid: number;
  name: string;
  /** The table it belongs to (itself for a table). */
  table: string;
  isTable: boolean;
  isMaterializedView: boolean;
}

/** What one statement did, as Postgres tells it (only pre-existing relations are looked at). */
export interface StatementObservation {
  durationMs: number;
  /** Relations whose relfilenode changed: Postgres wrote them anew. */
  rewritten: Relation[];
  /**
   * Table name → lock modes the session holds on it once the statement is done. On a materialized
   * view only ACCESS EXCLUSIVE is kept: nothing but REFRESH writes one, and every weaker mode
   * (REFRESH CONCURRENTLY's EXCLUSIVE) lets reads through.
   */
  locks: Map<string, string[]>;
  /** Tables whose rows the statement scanned, updated or deleted. */
  rowWork: Map<string, string>;
  /** Constraints of pre-existing tables validated by this statement (new, or flipped to valid). */
  validated: string[];
  error?: string;
}

interface TableCounters {
  scans: number;
  updated: number;
  deleted: number;
}

/** SQLSTATE of "cannot run inside a transaction block" (CONCURRENTLY, VACUUM, ...). */
const ACTIVE_SQL_TRANSACTION = '25001';

/**
 * Watches one migration's statements from the migrating session itself: before and after each,
 * it reads pg_class.relfilenode, pg_locks (this backend, granted), pg_stat_xact_user_tables (this
 * transaction's scans and row changes) and pg_constraint.convalidated.
 */
export class MigrationObserver {
  private relfilenodes = new Map<number, number>();
  private validConstraints = new Map<number, string>();

  private constructor(
    private readonly client: pg.Client,
    private readonly relations: Map<number, Relation>,
  ) {}

  static async start(client: pg.Client): Promise<MigrationObserver> {
    const rows = (await client.query<Relation & { relfilenode: number }>(PRE_EXISTING_RELATIONS))
      .rows;
    const observer = new MigrationObserver(
      client,
      new Map(rows.map((row) => [row.oid, { ...row }])),
    );
    observer.relfilenodes = new Map(rows.map((row) => [row.oid, row.relfilenode]));
    observer.validConstraints = await observer.readValidConstraints();
    return observer;
  }

  /** Runs one statement inside the transaction the caller opened (or outside any). */
  async run(sql: string): Promise<StatementObservation> {
    const countersBefore = await this.readCounters();
    const started = performance.now();
    const failure = await this.execute(sql);
    const durationMs = elapsedSince(started);
    if (failure) return failed(durationMs, failure.message);
    return {
      durationMs,
      rewritten: await this.readRewrites(),
      locks: await this.readLocks(),
      rowWork: rowWorkBetween(countersBefore, await this.readCounters(), this.relations),
      validated: await this.readNewlyValidated(),
    };
  }

  /**
   * Runs one statement of a `transaction = false` migration, which commits on its own. Wrapped
   * in a transaction of its own it takes the same locks, which run() can then read; a statement
   * that refuses a transaction block (CONCURRENTLY, VACUUM) runs bare under a probe instead.
   */
  async runAlone(sql: string, probe: pg.Client): Promise<StatementObservation> {
    await this.client.query('BEGIN');
    const countersBefore = await this.readCounters();
    const started = performance.now();
    const failure = await this.execute(sql);
    if (failure?.code === ACTIVE_SQL_TRANSACTION) {
      await this.client.query('ROLLBACK');
      return this.runUnderProbe(sql, probe);
    }
    const durationMs = elapsedSince(started);
    if (failure) {
      await this.client.query('ROLLBACK');
      return failed(durationMs, failure.message);
    }
    const observation: StatementObservation = {
      durationMs,
      rewritten: await this.readRewrites(),
      locks: await this.readLocks(),
      rowWork: rowWorkBetween(countersBefore, await this.readCounters(), this.relations),
      validated: await this.readNewlyValidated(),
    };
    await this.client.query('COMMIT');
    return observation;
  }

  /**
   * A statement that must run outside a transaction block finishes in microseconds on a scratch
   * database, too fast to see its locks from outside. So `probe` first holds ROW EXCLUSIVE (what
   * every writer holds) on each pre-existing table: a statement that needs a write-blocking lock
   * waits for it, and its ungranted lock in pg_locks names the mode; the probe then lets go. A
   * statement that only waits for the probe's transaction to end (CREATE INDEX CONCURRENTLY does)
   * blocks no writes. Seen this way: the first write-blocking lock it asks for, rewrites and
   * validations; not its row counters (they are not readable once it committed).
   */
  private async runUnderProbe(sql: string, probe: pg.Client): Promise<StatementObservation> {
    const tables = (
      await probe.query<{ name: string }>(
        `SELECT oid::regclass::text AS name FROM pg_class WHERE oid = ANY($1) AND relkind IN ('r', 'p')`,
        [[...this.relations.values()].filter((relation) => relation.isTable).map((r) => r.oid)],
      )
    ).rows.map((row) => row.name);
    const pid = (await this.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]
      ?.pid;
    await probe.query('BEGIN');
    if (tables.length > 0)
      await probe.query(`LOCK TABLE ${tables.join(', ')} IN ROW EXCLUSIVE MODE`);
    let settled = false;
    const running = this.execute(sql).finally(() => {
      settled = true;
    });
    let waitedFor: { oid: number | null; mode: string } | undefined;
    while (!settled && waitedFor === undefined) {
      waitedFor = (
        await probe.query<{ oid: number | null; mode: string }>(
          `SELECT relation::int AS oid, mode FROM pg_locks WHERE pid = $1 AND NOT granted`,
          [pid],
        )
      ).rows[0];
    }
    await probe.query('COMMIT');
    const started = performance.now();
    const failure = await running;
    const durationMs = elapsedSince(started);
    if (failure) return failed(durationMs, failure.message);
    const relation = waitedFor?.oid == null ? undefined : this.relations.get(waitedFor.oid);
    const locks = new Map<string, string[]>();
    if (relation && waitedFor) locks.set(relation.table, [waitedFor.mode]);
    return {
      durationMs,
      rewritten: await this.readRewrites(),
      locks,
      rowWork: new Map(),
      validated: await this.readNewlyValidated(),
    };
  }

  private async execute(sql: string): Promise<{ message: string; code?: string } | undefined> {
    try {
      await this.client.query(sql);
      return undefined;
    } catch (caught: unknown) {
      if (!(caught instanceof Error)) return { message: String(caught) };
      const code = (caught as { code?: unknown }).code;
      return { message: caught.message, ...(typeof code === 'string' ? { code } : {}) };
    }
  }

  private async readRewrites(): Promise<Relation[]> {
    const rows = (
      await this.client.query<{ oid: number; relfilenode: number }>(
        'SELECT oid::int AS oid, relfilenode::int AS relfilenode FROM pg_class WHERE oid = ANY($1)',
        [[...this.relations.keys()]],
      )
    ).rows;
    const rewritten: Relation[] = [];
    for (const row of rows) {
      const relation = this.relations.get(row.oid);
      if (relation && this.relfilenodes.get(row.oid) !== row.relfilenode) rewritten.push(relation);
      this.relfilenodes.set(row.oid, row.relfilenode);
    }
    return rewritten;
  }

  private async readLocks(): Promise<Map<string, string[]>> {
    const rows = (
      await this.client.query<{ oid: number; mode: string }>(
        `SELECT relation::int AS oid, mode FROM pg_locks
          WHERE pid = pg_backend_pid() AND granted AND locktype = 'relation'`,
      )
    ).rows;
    const locks = new Map<string, string[]>();
    for (const row of rows) {
      const relation = this.relations.get(row.oid);
      if (!relation?.isTable) continue;
      if (relation.isMaterializedView && row.mode !== 'AccessExclusiveLock') continue;
      locks.set(relation.table, [...(locks.get(relation.table) ?? []), row.mode]);
    }
    return locks;
  }

  private async readCounters(): Promise<Map<number, TableCounters>> {
    const rows = (
      await this.client.query<{ oid: number } & TableCounters>(
        `SELECT relid::int AS oid, seq_scan::int AS scans, n_tup_upd::int AS updated,
                n_tup_del::int AS deleted
           FROM pg_stat_xact_user_tables`,
      )
    ).rows;
    return new Map(rows.map((row) => [row.oid, row]));
  }

  /** Valid CHECK and FOREIGN KEY constraints of pre-existing tables: name by constraint oid. */
  private async readValidConstraints(): Promise<Map<number, string>> {
    const rows = (
      await this.client.query<{ oid: number; name: string }>(
        `SELECT con.oid::int AS oid, con.conname || ' on ' || con.conrelid::regclass::text AS name
           FROM pg_constraint con
          WHERE con.convalidated AND con.contype IN ('c', 'f') AND con.conrelid = ANY($1)`,
        [[...this.relations.values()].filter((relation) => relation.isTable).map((r) => r.oid)],
      )
    ).rows;
    return new Map(rows.map((row) => [row.oid, row.name]));
  }

  /** By oid: a renamed constraint was not validated again. */
  private async readNewlyValidated(): Promise<string[]> {
    const now = await this.readValidConstraints();
    const validated = [...now]
      .filter(([oid]) => !this.validConstraints.has(oid))
      .map(([, name]) => name);
    this.validConstraints = now;
    return validated;
  }
}

function elapsedSince(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function failed(durationMs: number, error: string): StatementObservation {
  return { durationMs, rewritten: [], locks: new Map(), rowWork: new Map(), validated: [], error };
}

function rowWorkBetween(
  before: Map<number, TableCounters>,
  after: Map<number, TableCounters>,
  relations: Map<number, Relation>,
): Map<string, string> {
  const work = new Map<string, string>();
  for (const [oid, counters] of after) {
    const relation = relations.get(oid);
    if (!relation?.isTable) continue;
    const previous = before.get(oid) ?? { scans: 0, updated: 0, deleted: 0 };
    const parts = [
      plural(counters.scans - previous.scans, 'scan'),
      plural(counters.updated - previous.updated, 'row updated', 'rows updated'),
      plural(counters.deleted - previous.deleted, 'row deleted', 'rows deleted'),
    ].filter((part) => part !== '');
    if (parts.length > 0) work.set(relation.table, parts.join(', '));
  }
  return work;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return count <= 0 ? '' : `${count} ${count === 1 ? one : many}`;
}

/** Tables, matviews, their indexes and TOAST tables outside the system schemas. */
const PRE_EXISTING_RELATIONS = `
  SELECT c.oid::int AS oid,
         c.oid::regclass::text AS name,
         c.relfilenode::int AS relfilenode,
         c.relkind IN ('r', 'p', 'm') AS "isTable",
         c.relkind = 'm' AS "isMaterializedView",
         COALESCE(owner_of_index.indrelid, owner_of_toast.oid, c.oid)::regclass::text AS table
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_index owner_of_index ON owner_of_index.indexrelid = c.oid
    LEFT JOIN pg_class owner_of_toast ON owner_of_toast.reltoastrelid = c.oid
   WHERE c.relkind IN ('r', 'p', 'm', 'i', 'I', 't')
     AND (n.nspname NOT IN ('pg_catalog', 'information_schema') OR owner_of_toast.oid IS NOT NULL)
     AND n.nspname NOT LIKE 'pg\\_temp%'
     AND (n.nspname <> 'pg_toast' OR owner_of_toast.relnamespace NOT IN
          (SELECT oid FROM pg_namespace WHERE nspname IN ('pg_catalog', 'information_schema')))`;
