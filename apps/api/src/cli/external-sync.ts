/**
 * `npm run sync:run -- <mrlearn|mrtest>`: one run of a source now, in this process, against the
 * configured database (DATABASE_URL, DB_*, or the embedded PostgreSQL; `.env` read as by the app).
 * The same run as the `external-sync` job, under the same lease: while another run holds the source
 * this one ends `busy`. Prints the run's result as JSON on stdout. Exit code 1 when the run failed
 * or the source is off, 2 on wrong usage, 0 otherwise.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ExternalSyncModule,
  isSourceName,
  loadExternalSyncConfig,
  SOURCE_NAMES,
  SourceSync,
} from '@mas/external-sync';
import {
  ConfigError,
  type Env,
  loadDatabaseConfig,
  PersistenceModule,
  resolveConnection,
} from '@mas/persistence';
import { readSettings } from '../config/read-settings.js';
import { ALL_ENTITIES } from '../database/entities.js';

/** The database and the sync settings; the outbox relay stays off (the run writes no outbox). */
function loadSettings(env: Env) {
  return {
    database: loadDatabaseConfig({ ...env, OUTBOX_RELAY_ENABLED: 'false', SEEDS_RUN: 'false' }),
    externalSync: loadExternalSyncConfig(env),
  };
}

async function runOnce(source: (typeof SOURCE_NAMES)[number]): Promise<boolean> {
  const settings = await readSettings(loadSettings);
  const database = await resolveConnection(settings.database, (message) => console.error(message));
  try {
    @Module({
      imports: [
        PersistenceModule.forRoot({
          config: settings.database,
          connection: database.connection,
          entities: ALL_ENTITIES,
        }),
        ExternalSyncModule.forRoot(settings.externalSync),
      ],
    })
    class SyncCliModule {}
    const app = await NestFactory.createApplicationContext(SyncCliModule, {
      logger: ['warn', 'error'],
    });
    try {
      const result = await app.get(SourceSync).run(source);
      console.log(JSON.stringify(result, null, 2));
      if (result.status === 'off') console.error(`sync:run: ${source} is off: set its URL`);
      return result.status === 'done' || result.status === 'busy';
    } finally {
      await app.close();
    }
  } finally {
    await database.stop();
  }
}

const [source, ...extra] = process.argv.slice(2);
if (!source || extra.length || !isSourceName(source)) {
  console.error(`usage: npm run sync:run -- <${SOURCE_NAMES.join('|')}>`);
  process.exit(2);
}
try {
  process.exit((await runOnce(source)) ? 0 : 1);
} catch (error) {
  console.error(error instanceof ConfigError ? `sync:run: ${error.message}` : error);
  process.exit(1);
}
