import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type DatabaseConfig } from '../config/database-config.js';
import { hasPendingMigrations } from '../migrations/migration-runner.js';
import { DATABASE_CONFIG } from '../persistence.tokens.js';
import { SeedRunner } from './seed-runner.service.js';

/** Runs the idempotent "ensure" seeds once the app has booted, if the schema is current. */
@Injectable()
export class EnsureSeedsOnBoot implements OnApplicationBootstrap {
  private readonly logger = new Logger('Seeds');

  constructor(
    private readonly seeds: SeedRunner,
    private readonly dataSource: DataSource,
    @Inject(DATABASE_CONFIG) private readonly config: DatabaseConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runEnsureSeeds) return;
    if (await hasPendingMigrations(this.dataSource)) {
      this.logger.warn('migrations are pending; ensure seeds skipped until they are applied');
      return;
    }
    await this.seeds.run('ensure');
  }
}
