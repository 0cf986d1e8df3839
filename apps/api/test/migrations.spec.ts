import {
  loadDatabaseConfig,
  migrationStatus,
  openDataSource,
  revertLastUnderLock,
} from '@mas/persistence';
import { type DataSource } from 'typeorm';
import { createCliDatabase } from '../src/database/cli-data-source.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';

describe('migrations on a real database', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
    const cli = await createCliDatabase({ DATABASE_URL: database.url, DB_POOL_MIN: '0' });
    const config = loadDatabaseConfig({ DATABASE_URL: database.url });
    dataSource = await openDataSource(cli.options, config, database.connection, { migrate: true });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const appliedCount = async () =>
    (await migrationStatus(dataSource)).filter((row) => row.applied).length;

  it('applies every migration and bootstraps schemas and extensions', async () => {
    const status = await migrationStatus(dataSource);
    expect(status.length).toBeGreaterThan(0);
    expect(status.every((row) => row.applied)).toBe(true);
    const schemas = await database.sql(
      `SELECT nspname FROM pg_namespace WHERE nspname = ANY($1) ORDER BY nspname`,
      [['public', 'mas_crm', 'mrlearn', 'mrtest', 'superadmin']],
    );
    expect(schemas.rows.map((row: { nspname: string }) => row.nspname)).toEqual([
      'mas_crm',
      'mrlearn',
      'mrtest',
      'public',
      'superadmin',
    ]);
    const extensions = await database.sql(
      `SELECT extname FROM pg_extension WHERE extname IN ('citext', 'pgcrypto', 'btree_gist', 'pg_trgm')`,
    );
    expect(extensions.rowCount).toBe(4);
  });

  it('reverts every migration down to zero, leaving no application tables or types', async () => {
    const total = await appliedCount();
    for (let i = 0; i < total; i++) await revertLastUnderLock(dataSource);
    expect(await appliedCount()).toBe(0);
    const tables = await database.sql(
      `SELECT table_schema, table_name FROM information_schema.tables
        WHERE table_schema IN ('public', 'mas_crm', 'mrlearn', 'mrtest', 'superadmin') AND table_name <> 'migrations'`,
    );
    expect(tables.rows).toEqual([]);
    const types = await database.sql(
      `SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' AND t.typtype = 'e'`,
    );
    expect(types.rows).toEqual([]);
  });

  it('applies them all again after the full revert', async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    const status = await migrationStatus(dataSource);
    expect(status.every((row) => row.applied)).toBe(true);
    const users = await database.sql(`SELECT count(*)::int AS n FROM users`);
    expect(users.rows[0]).toEqual({ n: 0 });
  });
});
