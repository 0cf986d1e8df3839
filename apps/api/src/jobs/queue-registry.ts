import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { QUEUE_NAMES } from './queue-names.js';

/** Finds registered queues by name (the outbox job channel names its queue at runtime). */
@Injectable()
export class QueueRegistry {
  constructor(private readonly moduleRef: ModuleRef) {}

  /** The queues this application owns. */
  all(): Queue[] {
    return QUEUE_NAMES.map((name) => this.get(name)!);
  }

  /** The queue registered under `name` anywhere in the application, or undefined. */
  get(name: string): Queue | undefined {
    try {
      return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
    } catch {
      return undefined;
    }
  }
}
