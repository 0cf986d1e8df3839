import { type INestApplicationContext, type ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadDatabaseConfig, PersistenceModule } from '@mas/persistence';
import { ALL_ENTITIES } from '../../apps/api/src/database/entities.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface LibModule {
  /** The module under test: `context.get(Service)` resolves the lib's providers. */
  context: INestApplicationContext;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * A lib's module and persistence on a fresh copy of the migrated template database: no HTTP, no
 * Redis, no relay. For a lib's own integration specs (its services' rules and races), beside its
 * code; the HTTP contract stays in apps/api/test.
 */
export async function startLibModule(imports: ModuleMetadata['imports']): Promise<LibModule> {
  const database = await createTestDatabase({ migrated: true });
  const config = loadDatabaseConfig({
    DATABASE_URL: database.url,
    DB_POOL_MIN: '0',
    DB_POOL_MAX: '12',
    MIGRATIONS_RUN: 'false',
    SEEDS_RUN: 'false',
    OUTBOX_RELAY_ENABLED: 'false',
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      PersistenceModule.forRoot({
        config,
        connection: config.connection!,
        entities: ALL_ENTITIES,
      }),
      ...(imports ?? []),
    ],
  }).compile();
  const context = await moduleRef.init();
  return {
    context,
    database,
    close: async () => {
      await context.close();
      await database.drop();
    },
  };
}
