import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { type JobSchedule, JobHandler } from '@mas/jobs';
import {
  EXTERNAL_SYNC_CONFIG,
  EXTERNAL_SYNC_QUEUE,
  type ExternalSyncConfig,
  type ExternalSyncJobData,
  SOURCE_NAMES,
  type SourceRunResult,
  SourceSync,
} from '@mas/external-sync';

/**
 * Runs the sync: a scheduled job (`{}`) pulls every configured source in turn, an on-demand one
 * (`{ source }`, from POST /api/admin/sync/:source/runs) that source. Concurrency 2, so an on-demand
 * run of one source need not wait for the other's; the lease keeps one run per source. A source
 * that failed fails the job (its error is recorded in sync_state either way); no BullMQ retry, the
 * next run resumes where it stopped.
 */
@JobHandler({ queue: EXTERNAL_SYNC_QUEUE, concurrency: 2, jobOptions: { attempts: 1 } })
@Injectable()
export class ExternalSyncJobHandler implements JobHandler {
  /** Every SYNC_INTERVAL_MINUTES while a source is configured; none otherwise. */
  readonly schedule: JobSchedule | undefined;

  constructor(
    @Inject(EXTERNAL_SYNC_CONFIG) private readonly config: ExternalSyncConfig,
    private readonly sync: SourceSync,
  ) {
    this.schedule = Object.keys(config.sources).length
      ? {
          id: 'external-sync-every-interval',
          jobName: 'external-sync',
          repeat: { pattern: config.schedulePattern, tz: 'UTC' },
        }
      : undefined;
  }

  async handle(job: Job<ExternalSyncJobData>): Promise<SourceRunResult[]> {
    const sources = job.data.source
      ? [job.data.source]
      : SOURCE_NAMES.filter((source) => this.config.sources[source]);
    const results: SourceRunResult[] = [];
    for (const source of sources) results.push(await this.sync.run(source));
    const failed = results.filter((result) => result.status === 'failed');
    if (failed.length) {
      const errors = failed.flatMap(({ source, resources }) =>
        resources.filter((r) => r.error).map((r) => `${source}/${r.resource}: ${r.error}`),
      );
      throw new Error(`external sync failed: ${errors.join('; ')}`);
    }
    return results;
  }
}
