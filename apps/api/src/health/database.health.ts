import { withTimeout } from '@mas/persistence';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { publicReason } from './public-reason.js';

/** Down when the database does not answer `SELECT 1` in time. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly dataSource: DataSource,
  ) {}

  async check(key = 'database', timeoutMs = 1500) {
    const indicator = this.health.check(key);
    const started = Date.now();
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), timeoutMs);
      return indicator.up({ responseTimeMs: Date.now() - started });
    } catch (error) {
      return indicator.down({ message: publicReason('database', error) });
    }
  }
}
