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

export interface ScratchApp {
  app: INestApplication;
  baseUrl: string;
  pool: pg.Pool;
  connection: DatabaseConnection;
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
  let app: INestApplication | undefined;
  try {
    const config = loadAppConfig({
      ...process.env,
      DATABASE_URL: connectionUrl(connection),
      LOG_LEVEL: 'warn',
      DB_POOL_MIN: '0',
      ...env,
    });
    app = await createApiApp({ config, connection });
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    return await work({ app, baseUrl: `http://127.0.0.1:${port}`, pool, connection });
  } finally {
    await app?.close();
    await pool.end();
    await dropDatabase(connection, false);
  }
}
