import { Inject, Injectable } from '@nestjs/common';
import { ConflictError } from '@mas/domain-errors';
import { OutboxService, TransactionRunner } from '@mas/persistence';
import { type ExternalSyncConfig } from '../config/external-sync-config.js';
import { EXTERNAL_SYNC_CONFIG } from '../config/external-sync-config.token.js';
import { type SourceName } from '../source/source-name.js';

/** The BullMQ queue whose jobs run the sync: `{ source }` for one source, `{}` for every one. */
export const EXTERNAL_SYNC_QUEUE = 'external-sync';

export interface ExternalSyncJobData {
  source?: SourceName;
  requestedBy?: string;
}

/**
 * On-demand runs: an outbox job row, so the request is durable even while Redis is down and the
 * run starts once the relay hands it over. A run already going makes the queued one end `busy`.
 */
@Injectable()
export class SyncRequests {
  constructor(
    @Inject(EXTERNAL_SYNC_CONFIG) private readonly config: ExternalSyncConfig,
    private readonly transactions: TransactionRunner,
    private readonly outbox: OutboxService,
  ) {}

  async request(source: SourceName, requestedBy: string): Promise<SourceName> {
    if (!this.config.sources[source]) {
      throw new ConflictError(`${source} is off: set ${source.toUpperCase()}_URL to sync it`);
    }
    const data: ExternalSyncJobData = { source, requestedBy };
    await this.transactions.run((tx) => this.outbox.job(tx, EXTERNAL_SYNC_QUEUE, { ...data }));
    return source;
  }
}
