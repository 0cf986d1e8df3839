import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { publicReason } from './public-reason.js';

interface NewestRuns {
  verified_at: Date | null;
  drill_at: Date | null;
  drill_status: string | null;
}

const NEWEST = `
  SELECT (SELECT max(finished_at) FROM superadmin.backup_runs
           WHERE kind = 'backup' AND status = 'verified') AS verified_at,
         d.finished_at AS drill_at, d.status AS drill_status
    FROM (SELECT 1) one
    LEFT JOIN LATERAL (SELECT finished_at, status FROM superadmin.backup_runs WHERE kind = 'drill'
                        ORDER BY finished_at DESC LIMIT 1) d ON true`;

/**
 * The age of the newest verified backup: degraded (never down: serving does not need it) when it
 * is older than BACKUP_MAX_AGE_HOURS, when there is none yet, or when the latest restore drill
 * failed. Without BACKUP_DIR nothing is scheduled: degraded in production, up elsewhere.
 */
@Injectable()
export class BackupsHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(key = 'backups') {
    const indicator = this.health.check(key);
    if (!this.config.backup.dir) {
      return this.config.nodeEnv === 'production'
        ? indicator.degraded({ message: 'no backups are scheduled (BACKUP_DIR is unset)' })
        : indicator.up({ scheduled: false });
    }
    try {
      const [newest] = await this.dataSource.query<NewestRuns[]>(NEWEST);
      const lastDrill = newest.drill_at
        ? { at: newest.drill_at.toISOString(), status: newest.drill_status }
        : null;
      if (!newest.verified_at) {
        return indicator.degraded({ message: 'no verified backup yet', lastDrill });
      }
      const ageHours = (Date.now() - newest.verified_at.getTime()) / 3_600_000;
      const details = {
        newestVerifiedAt: newest.verified_at.toISOString(),
        ageHours: Math.round(ageHours * 10) / 10,
        lastDrill,
      };
      if (ageHours > this.config.backup.maxAgeHours) {
        return indicator.degraded({
          message: `the newest verified backup is older than ${this.config.backup.maxAgeHours} h`,
          ...details,
        });
      }
      if (newest.drill_status === 'failed') {
        return indicator.degraded({ message: 'the latest restore drill failed', ...details });
      }
      return indicator.up(details);
    } catch (error) {
      return indicator.degraded({ message: publicReason('backup record', error) });
    }
  }
}
