import { DataSource } from 'typeorm';
import { OutboxMessage } from '@mas/persistence';
import type { TestDatabase } from './test-database.js';

/** A data source with only the outbox entity, for relay specs that run without the app. */
export function openOutboxDataSource(database: TestDatabase): Promise<DataSource> {
  return new DataSource({
    type: 'postgres',
    url: database.url,
    entities: [OutboxMessage],
  }).initialize();
}
