import { Logger } from '@nestjs/common';
import { Queue, type QueueOptions } from 'bullmq';
import { throttledErrorLog } from './throttled-error-log.js';

const logger = new Logger('Queues');

/**
 * A Queue that logs its errors from the moment it exists: a Queue without an `error` listener
 * prints every failed reconnect to stderr, and it starts connecting as soon as it is created.
 */
export class LoggedQueue extends Queue {
  constructor(name: string, options?: QueueOptions) {
    super(name, options);
    this.on('error', throttledErrorLog(logger, `queue ${name}`));
  }
}
