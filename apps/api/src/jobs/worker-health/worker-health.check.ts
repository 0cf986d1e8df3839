import { withTimeout } from '@mas/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { publicReason } from '../../health/public-reason.js';
import { REDIS } from '../../redis/redis.module.js';
import { QueueWorkers } from '../queue-workers.js';

type Check = { status: 'up' } | { status: 'down'; message: string };

export interface WorkerHealth {
  status: 'ok' | 'error';
  info: {
    database: Check;
    redis: Check;
    workers: { status: 'up' | 'down'; queues: { queue: string; running: boolean }[] };
  };
}

/** A worker process is healthy when it reaches Postgres and Redis and every worker is running. */
@Injectable()
export class WorkerHealthCheck {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly workers: QueueWorkers,
  ) {}

  async check(): Promise<WorkerHealth> {
    const [database, redis] = await Promise.all([
      probe('database', () => this.dataSource.query('SELECT 1')),
      probe('redis', () => this.redis.ping()),
    ]);
    const queues = this.workers.status();
    const workersUp = queues.length > 0 && queues.every((worker) => worker.running);
    const workers = { status: workersUp ? ('up' as const) : ('down' as const), queues };
    const healthy = database.status === 'up' && redis.status === 'up' && workersUp;
    return { status: healthy ? 'ok' : 'error', info: { database, redis, workers } };
  }
}

async function probe(component: string, ping: () => Promise<unknown>): Promise<Check> {
  try {
    await withTimeout(ping(), 1500);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', message: publicReason(component, error) };
  }
}
