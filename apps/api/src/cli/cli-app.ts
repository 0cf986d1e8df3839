import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { directConnectionFor, resolveConnection } from '@mas/persistence';
import { AppModule } from '../app.module.js';
import { type AppConfig, loadAppConfig } from '../config/app-config.js';
import { readSettings } from '../config/read-settings.js';

/**
 * Runs `work` in the app's module without HTTP, as a command does: settings read as the app reads
 * them, the configured or embedded database. Stdout belongs to the command's output, so the app's
 * logs (warnings and errors only) go to stderr. A command's connections are direct ones
 * (DATABASE_DIRECT_URL): commands hold session state that a transaction pooler cannot carry (the
 * legacy import's advisory lock and `SET statement_timeout`), and they are few and short-lived.
 */
export async function withCliApp<T>(
  work: (app: INestApplicationContext, config: AppConfig) => Promise<T>,
): Promise<T> {
  const config = await readSettings(loadAppConfig);
  const database = await resolveConnection(config.database, (message) => console.error(message));
  try {
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({
        config: { ...config, logLevel: 'warn' },
        connection: directConnectionFor(config.database, database.connection),
        logDestination: process.stderr,
      }),
      { bufferLogs: true },
    );
    app.useLogger(app.get(Logger));
    try {
      await app.init();
      return await work(app, config);
    } finally {
      await app.close();
    }
  } finally {
    await database.stop();
  }
}
