import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ReplicaSet } from '@mas/persistence';

/**
 * Each read replica's status and lag, numbered in DB_READ_URLS order: the probe is public, so it
 * names no host and quotes no driver error (the replica set logs those). Reads fall back to the
 * primary, so a replica that is down or too far behind makes the check "degraded", never an error.
 */
@Injectable()
export class ReplicasHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly replicas: ReplicaSet,
  ) {}

  get enabled(): boolean {
    return this.replicas.enabled;
  }

  check(key = 'replicas') {
    const indicator = this.health.check(key);
    const states = this.replicas.replicas.map(({ current }, index) => ({
      replica: index + 1,
      status: current.status,
      lagMs: current.lagMs,
    }));
    return states.every((state) => state.status === 'up')
      ? indicator.up({ replicas: states })
      : indicator.degraded({ replicas: states });
  }
}
