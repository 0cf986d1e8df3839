import { randomBytes } from 'node:crypto';
import { connectionUrl, dropDatabase, openDataSource } from '@mas/persistence';
import { createCliDatabase } from '../database/cli-data-source.js';
import { CLI_DATA_SOURCE, runTypeormCli } from './child-process.js';

/**
 * Drift check: migrate a scratch database from zero with every migration, then ask TypeORM's
 * generator whether the entities still differ from it (`migration:generate --check` exits 1 and
 * prints the missing SQL).
 */
export async function checkDrift(): Promise<number> {
  const cli = await createCliDatabase();
  const scratch = { ...cli.connection, database: `mas_drift_${randomBytes(4).toString('hex')}` };
  try {
    const dataSource = await openDataSource(
      { ...cli.options, database: scratch.database },
      cli.config,
      scratch,
      {
        migrate: true,
      },
    );
    await dataSource.destroy();
    const code = await runTypeormCli(
      ['migration:generate', '--check', '-d', CLI_DATA_SOURCE, 'migrations/Drift'],
      {
        DATABASE_URL: connectionUrl(scratch),
      },
    );
    console.log(
      code === 0
        ? 'db:check: entities and migrations agree'
        : 'db:check: entities changed without a migration (run npm run db:generate -- <Name>)',
    );
    return code;
  } finally {
    await dropDatabase(scratch, cli.config.ssl);
    await cli.stopServer();
  }
}
