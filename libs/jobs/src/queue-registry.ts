import type { Queue } from 'bullmq';

/**
 * The one way to reach a BullMQ queue: JobsModule provides it (inject this class), with one queue
 * per discovered `@JobHandler`, connected and prefixed alike and closed at shutdown.
 */
export abstract class QueueRegistry {
  /** Every queue, by name. */
  abstract all(): Queue[];

  /** The queue named `name`, or undefined when no handler consumes it. */
  abstract get(name: string): Queue | undefined;
}
