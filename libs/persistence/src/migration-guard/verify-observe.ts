import type pg from 'pg';

/** A relation that existed before the migration: a table, or an index / TOAST table of one. */
export interface Relation {
  oid: number;
  name: string;
  /** The table it belongs to (itself for a table). */
  table: string;
  isTable: boolean;
}

/** What one statement did, as Postgres tells it (only pre-existing relations are looked at). */
export interface StatementObservation {
  durationMs: number;
  /** Relations whose relfilenode changed: Postgres wrote them anew. */
  rewritten: Relation[];
  /** Table name → lock modes the session holds on it once the statement is done. */
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

/**
 * Watches one migration's statements from the migrating session itself: before and after each,
 * it reads pg_class.relfilenode, pg_locks (this backend, granted), pg_stat_xact_user_tables (this
 * transaction's scans and row changes) and pg_constraint.convalidated.
 */
export class MigrationObserver {
  private relfilenodes = new Map<number, number>();
  private validConstraints = new Set<string>();

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

  async run(sql: string): Promise<StatementObservation> {
    const countersBefore = await this.readCounters();
    const started = performance.now();
    let error: string | undefined;
    try {
      await this.client.query(sql);
    } catch (caught: unknown) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    if (error !== undefined) {
      return {
        durationMs,
        rewritten: [],
        locks: new Map(),
        rowWork: new Map(),
        validated: [],
        error,
      };
    }
    return {
      durationMs,
      rewritten: await this.readRewrites(),
      locks: await this.readLocks(),
      rowWork: rowWorkBetween(countersBefore, await this.readCounters(), this.relations),
      validated: await this.readNewlyValidated(),
    };
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

  private async readValidConstraints(): Promise<Set<string>> {
    const rows = (
      await this.client.query<{ oid: number; name: string }>(
        `SELECT con.oid::int AS oid, con.conname || ' on ' || con.conrelid::regclass::text AS name
           FROM pg_constraint con
          WHERE con.convalidated AND con.contype IN ('c', 'f') AND con.conrelid = ANY($1)`,
        [[...this.relations.values()].filter((relation) => relation.isTable).map((r) => r.oid)],
      )
    ).rows;
    return new Set(rows.map((row) => row.name));
  }

  private async readNewlyValidated(): Promise<string[]> {
    const now = await this.readValidConstraints();
    const validated = [...now].filter((name) => !this.validConstraints.has(name));
    this.validConstraints = now;
    return validated;
  }
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
