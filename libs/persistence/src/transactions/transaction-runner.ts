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
    return retried(
      () =>
        options.isolation
          ? this.dataSource.transaction(options.isolation, work)
          : this.dataSource.transaction(work),
      options.maxAttempts,
    );
  }

  /**
   * Work that is one statement, atomic on its own (data-modifying CTEs included): it runs on the
   * pool without BEGIN and COMMIT, two round trips fewer, and is retried like a transaction.
   */
  statement<T>(work: (manager: EntityManager) => Promise<T>, maxAttempts?: number): Promise<T> {
    return retried(() => work(this.dataSource.manager), maxAttempts);
  }
}

async function retried<T>(attempt: () => Promise<T>, maxAttempts = 3): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= maxAttempts || !isRetryableTransactionError(error)) throw error;
      await sleep(backoffMs(n));
    }
  }
}

/** Exponential backoff with full jitter: 0..(10 · 2^attempt) ms. */
function backoffMs(attempt: number): number {
  return Math.floor(Math.random() * 10 * 2 ** attempt);
}
