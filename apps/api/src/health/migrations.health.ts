import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { migrationStatus, withTimeout } from '@mas/persistence';
import { DataSource } from 'typeorm';
import { publicReason } from './public-reason.js';

/** Down while any known migration is not applied: this code expects a newer schema. */
@Injectable()
export class MigrationsHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * Bounded like the database check: behind PgBouncer a query for a server that refuses logins
   * waits in PgBouncer's queue (query_wait_timeout, 120 s by default) instead of failing.
   */
  async check(key = 'migrations', timeoutMs = 1500) {
    const indicator = this.health.check(key);
    try {
      const status = await withTimeout(migrationStatus(this.dataSource), timeoutMs);
      const pending = status.filter((row) => !row.applied).map((row) => row.name);
      return pending.length
        ? indicator.down({ pending })
        : indicator.up({ applied: status.length });
    } catch (error) {
      return indicator.down({ message: publicReason('migration status', error) });
    }
  }
}
