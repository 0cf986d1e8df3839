import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { JobHandler, type JobHandlerOptions } from '@mas/jobs';

export interface FoundJobHandler {
  /** The provider's name, for logs and errors. */
  name: string;
  options: JobHandlerOptions;
  handler: JobHandler;
  /** The handler's own `concurrency`, else the decorator's, else 1. */
  concurrency: number;
}

/**
 * The `@JobHandler` providers of the application, one per queue. Read on first use, which comes
 * once every provider exists (lifecycle hooks), as the SeedRunner reads its seeds.
 */
@Injectable()
export class JobHandlers {
  private found?: FoundJobHandler[];

  constructor(private readonly discovery: DiscoveryService) {}

  /** Sorted by queue name; throws when two handlers name one queue. */
  all(): FoundJobHandler[] {
    this.found ??= this.discover();
    return this.found;
  }

  private discover(): FoundJobHandler[] {
    const found = this.discovery
      .getProviders({ metadataKey: JobHandler.KEY })
      .flatMap((wrapper): FoundJobHandler[] => {
        const options = this.discovery.getMetadataByDecorator(JobHandler, wrapper);
        if (!options) return [];
        const name = String(wrapper.name);
        const handler = wrapper.instance as JobHandler | undefined;
        if (!handler) throw new Error(`job handler ${name} must be a singleton provider`);
        const concurrency = handler.concurrency ?? options.concurrency ?? 1;
        return [{ name, options, handler, concurrency }];
      })
      .sort((a, b) => a.options.queue.localeCompare(b.options.queue));
    found.forEach((current, i) => {
      const previous = found[i - 1];
      if (previous?.options.queue === current.options.queue) {
        throw new Error(
          `queue "${current.options.queue}" has two job handlers: ${previous.name} and ${current.name}`,
        );
      }
    });
    return found;
  }
}
