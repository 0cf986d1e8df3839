import { startTestApp, type TestApp } from './test-app.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface AppFixture {
  /** The block's migrated database (available from its tests and hooks on). */
  readonly database: TestDatabase;
  /** Boots an app on the block's database with `defaults` under `env`; closed after the block. */
  boot(env?: Record<string, string>): Promise<TestApp>;
}

/**
 * Registers the hooks of a describe block whose tests boot apps on one migrated database: the
 * database is created before the block, and the apps and the database go after it.
 */
export function appsOnMigratedDatabase(defaults: Record<string, string> = {}): AppFixture {
  let database: TestDatabase | undefined;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await database?.drop();
  });
  const current = (): TestDatabase => {
    if (!database) throw new Error('the fixture database exists only inside its describe block');
    return database;
  };
  return {
    get database() {
      return current();
    },
    async boot(env = {}) {
      const app = await startTestApp(current(), { ...defaults, ...env });
      apps.push(app);
      return app;
    },
  };
}
