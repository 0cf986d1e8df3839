import { setTimeout as sleep } from 'node:timers/promises';
import { type DataSource, type QueryRunner } from 'typeorm';
import { ensureExtensionsAndSchemas } from '../bootstrap/schema-bootstrap.js';

/** Every instance uses the same key, so only one bootstraps and migrates at a time. */
const MIGRATION_LOCK = 'mas:schema-migrations';
const LOCK_POLL_MS = 100;

export interface MigrationOutcome {
  applied: string[];
  waitedForLockMs: number;
}

/**
 * Waits for the lock by polling pg_try_advisory_lock rather than blocking in pg_advisory_lock: a
 * session blocked in a statement holds a snapshot, and a CREATE INDEX CONCURRENTLY in the
 * holder's migrations waits for every older snapshot of the database, until its lock_timeout
 * fails that migration.
 */
async function acquireMigrationLock(lockHolder: QueryRunner): Promise<void> {
  for (;;) {
    const [{ locked }] = (await lockHolder.query(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
      [MIGRATION_LOCK],
    )) as [{ locked: boolean }];
    if (locked) return;
    await sleep(LOCK_POLL_MS);
  }
}

/**
 * Runs `work` while holding a session-level advisory lock on a dedicated connection (so on the
 * direct connection: see openDataSource). Instances booting together queue on the lock; the later
 * ones find nothing left to do.
 */
async function withMigrationLock<T>(
  dataSource: DataSource,
  work: (lockHolder: QueryRunner, waitedMs: number) => Promise<T>,
): Promise<T> {
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    const started = Date.now();
    await acquireMigrationLock(lockHolder);
    try {
      return await work(lockHolder, Date.now() - started);
    } finally {
      await lockHolder.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]);
    }
  } finally {
    await lockHolder.release();
  }
}

/** Bootstraps extensions and schemas, then applies pending migrations, each in its own transaction. */
export function migrateUnderLock(dataSource: DataSource): Promise<MigrationOutcome> {
  return withMigrationLock(dataSource, async (lockHolder, waitedForLockMs) => {
    await ensureExtensionsAndSchemas(lockHolder);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return { applied: applied.map((migration) => migration.name), waitedForLockMs };
  });
}

/** Reverts the newest applied migration. */
export function revertLastUnderLock(dataSource: DataSource): Promise<void> {
  return withMigrationLock(dataSource, () => dataSource.undoLastMigration({ transaction: 'each' }));
}

export interface MigrationStatusRow {
  name: string;
  applied: boolean;
}

/** Which known migrations are applied, in order, without changing anything. */
export async function migrationStatus(dataSource: DataSource): Promise<MigrationStatusRow[]> {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const [{ exists }] = await dataSource.query<[{ exists: boolean }]>(
    'SELECT to_regclass($1) IS NOT NULL AS exists',
    [`public.${table}`],
  );
  const appliedRows = exists
    ? await dataSource.query<{ name: string }[]>(`SELECT name FROM public."${table}"`)
    : [];
  const applied = new Set(appliedRows.map((row) => row.name));
  return dataSource.migrations.map((migration) => {
    const name = migration.name ?? migration.constructor.name;
    return { name, applied: applied.has(name) };
  });
}

export async function hasPendingMigrations(dataSource: DataSource): Promise<boolean> {
  return (await migrationStatus(dataSource)).some((row) => !row.applied);
}
