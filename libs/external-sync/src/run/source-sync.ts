import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { TransactionRunner } from '@mas/persistence';
import { type ExternalSyncConfig } from '../config/external-sync-config.js';
import { EXTERNAL_SYNC_CONFIG } from '../config/external-sync-config.token.js';
import {
  type ResourceDefinition,
  SOURCE_DEFINITIONS,
  type SourceDefinition,
} from '../source/resource-definitions.js';
import { CursorRejectedError, SourceClient } from '../source/source-client.js';
import { parseSourceItem } from '../source/source-item.js';
import { type SourceName } from '../source/source-name.js';
import { SyncLease } from '../state/sync-lease.js';
import { SyncProgress } from '../state/sync-progress.js';
import { PageWriter } from './page-writer.js';
import { type ResourceRunResult, type SourceRunResult } from './sync-run-result.js';

/**
 * One run of a source: takes its lease, then pulls each resource from where its pass stands, one
 * transaction per page (the page's rows and the pass's new position commit together), until the
 * platform's last page. A crash loses at most the page in flight, which the next run asks for again.
 */
@Injectable()
export class SourceSync implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ExternalSync');
  /** Runs in progress in this process, stopped at shutdown so they release their leases. */
  private readonly running = new Map<AbortController, Promise<unknown>>();

  constructor(
    @Inject(EXTERNAL_SYNC_CONFIG) private readonly config: ExternalSyncConfig,
    private readonly transactions: TransactionRunner,
    private readonly lease: SyncLease,
    private readonly progress: SyncProgress,
    private readonly writer: PageWriter,
  ) {}

  async run(name: SourceName): Promise<SourceRunResult> {
    const endpoint = this.config.sources[name];
    if (!endpoint) return { source: name, status: 'off', resources: [] };
    const source = SOURCE_DEFINITIONS[name];
    const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
    if (!(await this.lease.acquire(source, owner, this.config.leaseMs))) {
      return { source: name, status: 'busy', resources: [] };
    }
    const stop = new AbortController();
    const heartbeat = this.keepLease(source, owner, stop);
    const finished = (async () => {
      try {
        return await this.runResources(
          new SourceClient(endpoint, this.config, stop.signal),
          source,
          owner,
        );
      } finally {
        clearInterval(heartbeat);
        stop.abort(new Error('the run ended'));
        await this.lease.release(source, owner);
      }
    })();
    this.running.set(stop, finished);
    try {
      return await finished;
    } finally {
      this.running.delete(stop);
    }
  }

  /**
   * A run stops at its next request or wait (the page being written still commits); its error is
   * recorded and its lease released, so another instance may take the source at once.
   */
  async beforeApplicationShutdown(): Promise<void> {
    for (const stop of this.running.keys()) stop.abort(new Error('the process is shutting down'));
    await Promise.allSettled(this.running.values());
  }

  private async runResources(
    client: SourceClient,
    source: SourceDefinition,
    owner: string,
  ): Promise<SourceRunResult> {
    const name = source.name;
    const resources: ResourceRunResult[] = [];
    for (const resource of source.resources) {
      const result = await this.syncResource(client, source, resource, owner);
      resources.push(result);
      if (result.error) {
        this.logger.warn(`${name}/${resource.name} stopped: ${result.error}`);
        return { source: name, status: 'failed', resources };
      }
    }
    return { source: name, status: 'done', resources };
  }

  private async syncResource(
    client: SourceClient,
    source: SourceDefinition,
    resource: ResourceDefinition,
    owner: string,
  ): Promise<ResourceRunResult> {
    const result: ResourceRunResult = {
      resource: resource.name,
      pages: 0,
      items: 0,
      deleted: 0,
      caughtUp: false,
    };
    try {
      let position = await this.progress.position(source, resource);
      // Resume the pass in progress with the `updated_since` its cursor belongs to.
      let since = position.cursor ? position.passSince : position.watermark;
      let cursor = position.cursor;
      let restarted = false;
      while (!result.caughtUp) {
        let page;
        try {
          page = await client.fetchPage({
            resource: resource.name,
            updatedSince: since,
            cursor,
            limit: this.config.pageSize,
          });
        } catch (error) {
          if (!(error instanceof CursorRejectedError) || restarted) throw error;
          restarted = true;
          await this.progress.restartPass(source, resource, owner);
          position = await this.progress.position(source, resource);
          [since, cursor] = [position.watermark, null];
          continue;
        }
        if (page.nextCursor !== null && page.nextCursor === cursor) {
          throw new Error(`the platform returned the cursor it was given; the pass cannot advance`);
        }
        const items = page.items.map((raw) => parseSourceItem(resource, raw));
        const deleted = items.filter((item) => item.deleted).length;
        const newest = items.reduce<Date | null>(
          (max, item) => (max && max >= item.updatedAt ? max : item.updatedAt),
          null,
        );
        await this.transactions.run(async (tx) => {
          const committed = {
            since,
            nextCursor: page.nextCursor,
            newest,
            items: items.length,
            deleted,
          };
          await this.progress.advance(tx, source, resource, owner, committed, this.config.leaseMs);
          await this.writer.apply(tx, source, resource, items);
        });
        result.pages++;
        result.items += items.length;
        result.deleted += deleted;
        cursor = page.nextCursor;
        result.caughtUp = cursor === null;
      }
      await this.writer.linkUsers(source, resource);
      return result;
    } catch (error) {
      const message = (error as Error).message;
      await this.progress.recordFailure(source, resource, owner, message).catch(() => undefined);
      return { ...result, error: message };
    }
  }

  /** Renews the lease every third of its length; aborts the run once it is lost. */
  private keepLease(
    source: SourceDefinition,
    owner: string,
    stop: AbortController,
  ): NodeJS.Timeout {
    const renew = async () => {
      const held = await this.lease.renew(source, owner, this.config.leaseMs).catch(() => true);
      if (!held) stop.abort(new Error(`the ${source.name} sync lease was lost; the run stopped`));
    };
    return setInterval(() => void renew(), Math.floor(this.config.leaseMs / 3));
  }
}
