import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildDataSourceOptions,
  connectionUrl,
  type DatabaseConnection,
  loadDatabaseConfig,
  loadMigrations,
  openDataSource,
  type RunningPostgres,
  startEmbeddedPostgres,
} from '@mas/persistence';
import { freePort } from '@mas/testing/free-port.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import pg from 'pg';
import { toolMajor } from './engines/pg-tools.js';
import { BackupRefusedError } from './errors.js';
import { restoreBackup } from './restore/restore-backup.js';
import { writeBackup } from './write-backup.js';

async function migrate(connection: DatabaseConnection): Promise<void> {
  const config = loadDatabaseConfig({ DATABASE_URL: connectionUrl(connection), DB_POOL_MIN: '0' });
  const options = buildDataSourceOptions(config, connection, {
    entities: [],
    migrations: await loadMigrations(),
  });
  await (await openDataSource(options, config, connection, { migrate: true })).destroy();
}

/**
 * The embedded default is PostgreSQL 18 and ships no pg_dump: the COPY engine backs it up, and
 * the file restores on the test server (15) and on 18 alike.
 */
describe('backup of the embedded PostgreSQL 18 (no pg_dump)', () => {
  let dir: string;
  let embedded: RunningPostgres;
  let source: DatabaseConnection;
  let target: TestDatabase | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mas-backup-embedded-'));
    // As root, the package runs the server as the `postgres` user, who must reach its data dir.
    await chmod(dir, 0o777);
    embedded = await startEmbeddedPostgres({
      dataDir: join(dir, 'data'),
      port: await freePort(),
      database: 'mas_embedded',
    });
    source = embedded.connection;
    await migrate(source);
    const client = new pg.Client({ connectionString: connectionUrl(source) });
    await client.connect();
    try {
      await client.query(`
        WITH u AS (INSERT INTO users (email, password_hash, full_name, role)
                   VALUES ('embedded@backup.test', 'x', 'Embedded', 'student') RETURNING id),
             w AS (INSERT INTO token_wallets (user_id, balance) SELECT id, 12 FROM u)
        INSERT INTO token_usages (user_id, usage_type, delta, balance_before, balance_after)
        SELECT id, 'adjustment'::token_usage_type, 5, 0, 5 FROM u UNION ALL
        SELECT id, 'adjustment'::token_usage_type, 7, 5, 12 FROM u`);
    } finally {
      await client.end();
    }
  }, 120_000);

  afterAll(async () => {
    await target?.drop();
    await embedded?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses the pg_dump engine when the installed pg_dump is older than 18, naming the copy engine', async () => {
    const tool = await toolMajor('pg_dump');
    const attempt = writeBackup({
      source: { connection: source, ssl: false },
      file: join(dir, 'pg-dump.masbackup'),
      engine: 'pg_dump',
    });
    if (tool !== null && tool >= 18) {
      expect((await attempt).engine).toBe('pg_dump');
      return;
    }
    await expect(attempt).rejects.toBeInstanceOf(BackupRefusedError);
    await expect(attempt).rejects.toThrow(
      tool === null
        ? 'pg_dump is not installed: use the copy engine (the default)'
        : `pg_dump ${tool} is older than PostgreSQL 18: use the copy engine (the default)`,
    );
  });

  it('backs up 18 and restores it, verified, on 15 and on 18', async () => {
    const file = join(dir, 'embedded.masbackup');
    const manifest = await writeBackup({
      source: { connection: source, ssl: false },
      file,
      passphrase: 'embedded-spec-passphrase',
    });
    expect(manifest.facts.serverVersion).toMatch(/^18\./);
    expect(manifest.facts.money).toMatchObject({
      wallets: 1,
      walletBalanceTotal: '12',
      ledgerRows: 2,
    });

    target = await createTestDatabase({ migrated: false });
    const onTestServer = await restoreBackup({
      file,
      passphrase: 'embedded-spec-passphrase',
      target: { connection: target.connection, ssl: false },
    });
    expect(onTestServer.verification.checks.filter((check) => !check.ok)).toEqual([]);
    const { rows } = await target.sql('SHOW server_version');
    expect(rows[0].server_version).not.toMatch(/^18\./);

    const onEmbedded = await restoreBackup({
      file,
      passphrase: 'embedded-spec-passphrase',
      target: { connection: { ...source, database: 'mas_embedded_restored' }, ssl: false },
    });
    expect(onEmbedded.verification.ok).toBe(true);
  });
});
