import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, EntityManager } from 'typeorm';
import { isRetryableTransactionError } from '../errors/postgres-errors.js';

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

export interface TransactionOptions {
  /**
   * An outer transaction to join. Services that are called from another service's transaction
   * take the caller's manager and pass it here; the work then runs in that transaction and the
   * outermost call owns commit, rollback and retries.
   */
  within?: EntityManager;
  isolation?: IsolationLevel;
  /** Attempts for serialization failures and deadlocks (40001, 40P01); default 3. */
  maxAttempts?: number;
}

/**
 * The one way to run a transaction. Work receives the transactional EntityManager and must do all
 * its reads and writes through it (never through an injected repository), and must pass it on to
 * other services: there is no ambient transaction that a forgotten parameter could silently escape.
 */
@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The manager for a single read or write that needs no transaction of its own: the caller's
   * transaction when there is one, the pool otherwise.
   */
  manager(within?: EntityManager): EntityManager {
    return within ?? this.dataSource.manager;
  }

  async run<T>(
    work: (tx: EntityManager) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    if (options.within?.queryRunner?.isTransactionActive) return work(options.within);
    const maxAttempts = options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await (options.isolation
          ? this.dataSource.transaction(options.isolation, work)
          : this.dataSource.transaction(work));
      } catch (error) {
        if (attempt >= maxAttempts || !isRetryableTransactionError(error)) throw error;
        await sleep(backoffMs(attempt));
      }
    }
  }
}

/** Exponential backoff with full jitter: 0..(10 · 2^attempt) ms. */
function backoffMs(attempt: number): number {
  return Math.floor(Math.random() * 10 * 2 ** attempt);
}
