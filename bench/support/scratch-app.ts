import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import {
  connectionUrl,
  type DatabaseConnection,
  dropDatabase,
  ensureDatabaseExists,
  loadDatabaseConfig,
} from '@mas/persistence';
import pg from 'pg';
import { loadAppConfig } from '../../apps/api/src/config/app-config.js';
import { createApiApp } from '../../apps/api/src/create-app.js';

export interface ScratchInstance {
  app: INestApplication;
  baseUrl: string;
}

export interface ScratchApp extends ScratchInstance {
  pool: pg.Pool;
  connection: DatabaseConnection;
  /**
   * Boots one more API instance on the same database (and Redis), with the same environment plus
   * `env`; it is closed before the first one.
   */
  startInstance: (env?: Record<string, string>) => Promise<ScratchInstance>;
}

async function startInstance(
  connection: DatabaseConnection,
  env: Record<string, string>,
  started: INestApplication[],
): Promise<ScratchInstance> {
  const config = loadAppConfig({
    ...process.env,
    DATABASE_URL: connectionUrl(connection),
    LOG_LEVEL: 'warn',
    DB_POOL_MIN: '0',
    ...env,
  });
  const app = await createApiApp({ config, connection });
  started.push(app);
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}` };
}

/**
 * A benchmark's world: a scratch database (dropped and recreated; its name must start with
 * mas_bench), the real API booted on it and listening on an ephemeral port, and a raw pg pool for
 * seeding and baselines. Everything is closed and the database dropped afterwards.
 */
export async function withScratchApp<T>(
  defaultUrl: string,
  env: Record<string, string>,
  work: (scratch: ScratchApp) => Promise<T>,
): Promise<T> {
  const databaseUrl = process.env.DATABASE_URL ?? defaultUrl;
  const connection = loadDatabaseConfig({ DATABASE_URL: databaseUrl }).connection;
  if (!connection?.database.startsWith('mas_bench')) {
    throw new Error(`refusing to drop ${databaseUrl}: the database name must start with mas_bench`);
  }
  await dropDatabase(connection, false);
  await ensureDatabaseExists(connection, false);
  const pool = new pg.Pool({ connectionString: connectionUrl(connection), max: 8 });
  pool.on('error', () => undefined);
  const started: INestApplication[] = [];
  try {
    const first = await startInstance(connection, env, started);
    return await work({
      ...first,
      pool,
      connection,
      startInstance: (more = {}) => startInstance(connection, { ...env, ...more }, started),
    });
  } finally {
    for (const app of started.reverse()) await app.close();
    await pool.end();
    await dropDatabase(connection, false);
  }
}
