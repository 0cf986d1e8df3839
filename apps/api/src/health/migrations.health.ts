import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { migrationStatus } from '@mas/persistence';
import { DataSource } from 'typeorm';
import { publicReason } from './public-reason.js';

/** Down while any known migration is not applied: this code expects a newer schema. */
@Injectable()
export class MigrationsHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly dataSource: DataSource,
  ) {}

  async check(key = 'migrations') {
    const indicator = this.health.check(key);
    try {
      const status = await migrationStatus(this.dataSource);
      const pending = status.filter((row) => !row.applied).map((row) => row.name);
      return pending.length
        ? indicator.down({ pending })
        : indicator.up({ applied: status.length });
    } catch (error) {
      return indicator.down({ message: publicReason('migration status', error) });
    }
  }
}
