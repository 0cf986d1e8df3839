import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type DatabaseConfig, type DatabaseConnection } from './config/database-config.js';
import { buildDataSourceOptions, type SchemaParts } from './data-source/data-source-options.js';
import { loadMigrations } from './data-source/migration-files.js';
import { openDataSource } from './data-source/open-data-source.js';
import { OutboxCompletion } from './outbox/outbox-completion.js';
import { OutboxReconciler } from './outbox/outbox-reconciler.js';
import { OutboxRelay } from './outbox/outbox-relay.js';
import { OutboxService } from './outbox/outbox.service.js';
import { DATABASE_CONFIG } from './persistence.tokens.js';
import { ReplicaReads } from './replicas/replica-reads.js';
import { ReplicaSet } from './replicas/replica-set.js';
import { EnsureSeedsOnBoot } from './seeding/ensure-seeds-on-boot.js';
import { SeedRunner } from './seeding/seed-runner.service.js';
import { TransactionRunner } from './transactions/transaction-runner.js';

export interface PersistenceModuleOptions {
  config: DatabaseConfig;
  /** Where to connect: the configured server, or the embedded one started by the caller. */
  connection: DatabaseConnection;
  entities: SchemaParts['entities'];
  subscribers?: SchemaParts['subscribers'];
}

/**
 * The DataSource (bootstrapped and migrated under the lock before anything else uses it), the
 * transaction runner and the seed runner. Global: domain libs inject DataSource,
 * TransactionRunner and repositories without importing this module again.
 */
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceModuleOptions): DynamicModule {
    const { config, connection } = options;
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        DiscoveryModule,
        TypeOrmModule.forRootAsync({
          useFactory: async () =>
            buildDataSourceOptions(config, connection, {
              entities: options.entities,
              subscribers: options.subscribers,
              migrations: await loadMigrations(),
            }),
          dataSourceFactory: (dataSourceOptions) =>
            openDataSource(dataSourceOptions!, config, connection, {
              migrate: config.runMigrations,
            }),
        }),
      ],
      providers: [
        { provide: DATABASE_CONFIG, useValue: config },
        TransactionRunner,
        SeedRunner,
        EnsureSeedsOnBoot,
        OutboxService,
        OutboxRelay,
        OutboxReconciler,
        OutboxCompletion,
        ReplicaSet,
        ReplicaReads,
      ],
      exports: [
        DATABASE_CONFIG,
        TransactionRunner,
        SeedRunner,
        OutboxService,
        OutboxRelay,
        OutboxReconciler,
        OutboxCompletion,
        ReplicaSet,
        ReplicaReads,
      ],
    };
  }
}
