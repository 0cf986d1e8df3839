import { type DataSource } from 'typeorm';
import { openOutboxDataSource } from '@mas/testing/outbox-data-source.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { until } from '@mas/testing/until.js';
import { loadDatabaseConfig } from '../config/database-config.js';
import { OutboxChannel } from './outbox-message.entity.js';
import { OutboxRelay } from './outbox-relay.js';

describe('OutboxRelay at shutdown', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const config = loadDatabaseConfig({ OUTBOX_POLL_MS: '20' });

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    dataSource = await openOutboxDataSource(database);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('gives back the lease of a dispatch it could not finish, so another instance sends it at once', async () => {
    const { rows } = await database.sql(
      `INSERT INTO outbox_messages (channel, topic, payload, audience)
       VALUES ('realtime', 'test.stuck', '{}', '{user:x}') RETURNING id`,
    );
    const id = (rows[0] as { id: string }).id;
    let unblock: (() => void) | undefined;
    const stuck = new OutboxRelay(dataSource, config);
    stuck.register(OutboxChannel.Realtime, () => new Promise<void>((r) => (unblock = r)));
    stuck.onApplicationBootstrap();
    await until(() => Promise.resolve(unblock && true), 'the first relay to claim the row');

    await stuck.stop(100);
    const { rows: after } = await database.sql(
      `SELECT status::text, attempts, next_attempt_at <= now() AS due FROM outbox_messages WHERE id = $1`,
      [id],
    );
    expect(after).toEqual([{ status: 'pending', attempts: 0, due: true }]);

    const delivered: string[] = [];
    const next = new OutboxRelay(dataSource, config);
    next.register(OutboxChannel.Realtime, (message) => {
      delivered.push(message.id);
      return Promise.resolve();
    });
    expect(await next.drainOnce()).toBe(1);
    expect(delivered).toEqual([id]);
    unblock?.();
  });

  it('stops claiming: a row committed after the stop stays pending', async () => {
    const relay = new OutboxRelay(dataSource, config);
    relay.register(OutboxChannel.Realtime, () => Promise.resolve());
    relay.onApplicationBootstrap();
    await relay.stop();
    const { rows } = await database.sql(
      `INSERT INTO outbox_messages (channel, topic, payload, audience)
       VALUES ('realtime', 'test.after-stop', '{}', '{user:y}') RETURNING id`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { rows: after } = await database.sql(
      `SELECT status::text, attempts FROM outbox_messages WHERE id = $1`,
      [(rows[0] as { id: string }).id],
    );
    expect(after).toEqual([{ status: 'pending', attempts: 0 }]);
  });
});
