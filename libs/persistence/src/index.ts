export * from './config/config-error.js';
export * from './config/env-reader.js';
export * from './config/database-config.js';
export * from './data-source/data-source-options.js';
export * from './data-source/migration-files.js';
export * from './data-source/open-data-source.js';
export * from './data-source/snake-naming.strategy.js';
export * from './bootstrap/schema-bootstrap.js';
export * from './migrations/migration-runner.js';
export * from './embedded/embedded-postgres.js';
export * from './embedded/resolve-connection.js';
export * from './entities/base.entity.js';
export * from './errors/postgres-errors.js';
export * from './errors/http-error-mapping.js';
export * from './errors/all-exceptions.filter.js';
export * from './errors/retry-later.exception.js';
export * from './transactions/transaction-runner.js';
export * from './pagination/keyset-cursor.js';
export * from './pagination/keyset-paginate.js';
export * from './pagination/page-query.dto.js';
export * from './seeding/seed.decorator.js';
export * from './seeding/seed-runner.service.js';
export * from './persistence.tokens.js';
export * from './persistence.module.js';
export * from './query/like-pattern.js';
export * from './validation/money.js';
export * from './transactions/update-if-status.js';
export * from './outbox/outbox-message.entity.js';
export * from './outbox/outbox.service.js';
export * from './outbox/outbox-relay.js';
export * from './outbox/realtime-rooms.js';
export * from './outbox/session-revoked.js';

import { OutboxMessage } from './outbox/outbox-message.entity.js';

/** Entities this lib owns, for the composition root's DataSource. */
export const PERSISTENCE_ENTITIES = [OutboxMessage];
export * from './validation/transforms.js';
export * from './validation/unsafe-input.js';
