import { Injectable } from '@nestjs/common';
import { InvalidInputError, NotFoundError } from '@mas/domain-errors';
import { SqlParams, TransactionRunner } from '@mas/persistence';
import { EntityManager } from 'typeorm';
import { WorkflowActions } from '../actions/workflow-actions.js';
import type { WorkflowConfig, WorkflowTrigger } from './definition-config.js';
import { validateDefinition } from './validate-definition.js';
import { WorkflowDefinition } from './workflow-definition.entity.js';

export interface NewDefinition {
  key: string;
  name: string;
  config: unknown;
  trigger?: unknown;
}

/**
 * Saves definition versions and finds them; versions are immutable, so they are cached by id. The
 * newest version of each key this process has seen is remembered too, for callers that check in
 * their own statement that it is still the newest (`latestKnown`).
 */
@Injectable()
export class DefinitionsService {
  private readonly byIdCache = new Map<string, WorkflowDefinition>();
  private readonly newestSeen = new Map<string, WorkflowDefinition>();

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly actions: WorkflowActions,
  ) {}

  /** Validates and saves the next version of `key` (version 1 for a new key); 400 lists problems. */
  async create(input: NewDefinition, createdBy: string | null): Promise<WorkflowDefinition> {
    this.assertValid(input);
    const saved = await this.transactions.run(
      async (tx) => (await this.saveNextVersion(tx, input, createdBy))!,
    );
    this.remember(saved);
    return saved;
  }

  /** Saves version 1 of `key` unless some version exists (an ensure seed); true when it saved. */
  async ensure(input: NewDefinition, tx: EntityManager): Promise<boolean> {
    this.assertValid(input);
    return (await this.saveNextVersion(tx, input, null, { onlyIfNew: true })) !== null;
  }

  private assertValid(input: NewDefinition): void {
    const problems = validateDefinition(input.config, input.trigger, this.actions);
    if (problems.length) {
      throw new InvalidInputError('workflow definition is invalid', problems);
    }
  }

  private async saveNextVersion(
    tx: EntityManager,
    input: NewDefinition,
    createdBy: string | null,
    { onlyIfNew = false } = {},
  ): Promise<WorkflowDefinition | null> {
    // Serializes versioning per key, so two saves never compute the same next version.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('workflow_definition:' || $1))`, [
      input.key,
    ]);
    const [{ latest }] = await tx.query<{ latest: number | null }[]>(
      'SELECT max(version) AS latest FROM workflow_definitions WHERE key = $1',
      [input.key],
    );
    if (latest !== null && onlyIfNew) return null;
    const trigger = (input.trigger ?? null) as WorkflowTrigger | null;
    return tx.save(
      tx.create(WorkflowDefinition, {
        key: input.key,
        version: (latest ?? 0) + 1,
        name: input.name,
        config: input.config as WorkflowConfig,
        trigger,
        createdBy,
      }),
    );
  }

  /** The newest version of every key, or every version of `key`, newest first. */
  list(key?: string): Promise<WorkflowDefinition[]> {
    const manager = this.transactions.manager();
    if (key)
      return manager.find(WorkflowDefinition, { where: { key }, order: { version: 'DESC' } });
    return manager
      .createQueryBuilder(WorkflowDefinition, 'definition')
      .distinctOn(['definition.key'])
      .orderBy('definition.key')
      .addOrderBy('definition.version', 'DESC')
      .getMany();
  }

  async latest(key: string, tx?: EntityManager): Promise<WorkflowDefinition> {
    const definition = await this.transactions
      .manager(tx)
      .findOne(WorkflowDefinition, { where: { key }, order: { version: 'DESC' } });
    if (!definition) throw new NotFoundError(`no workflow definition has the key "${key}"`);
    // What a caller's transaction reads may still roll back.
    if (!tx) this.remember(definition);
    return definition;
  }

  /**
   * The newest version of `key` this process has seen, read only when it has seen none. Another
   * instance may have saved a newer one since: the caller checks in its own statement (see
   * `isNewestSql`) and asks `latest` when the check fails.
   */
  latestKnown(key: string): Promise<WorkflowDefinition> {
    const known = this.newestSeen.get(key);
    return known ? Promise.resolve(known) : this.latest(key);
  }

  /** SQL that holds while `definition` is the newest version of its key (bound into `params`). */
  static isNewestSql(definition: WorkflowDefinition, params: SqlParams): string {
    return `EXISTS (SELECT FROM workflow_definitions seen
                     WHERE seen.id = ${params.bind(definition.id, 'uuid')}
                       AND seen.version = (SELECT max(version) FROM workflow_definitions
                                            WHERE key = ${params.bind(definition.key, 'text')}))`;
  }

  private remember(definition: WorkflowDefinition): void {
    const known = this.newestSeen.get(definition.key);
    if (!known || known.version < definition.version)
      this.newestSeen.set(definition.key, definition);
  }

  async byId(id: string, tx?: EntityManager): Promise<WorkflowDefinition> {
    const cached = this.byIdCache.get(id);
    if (cached) return cached;
    const definition = await this.transactions
      .manager(tx)
      .findOneByOrFail(WorkflowDefinition, { id });
    this.byIdCache.set(id, definition);
    return definition;
  }

  /** The definitions whose newest version starts on `event`. */
  triggeredBy(event: string, tx: EntityManager): Promise<WorkflowDefinition[]> {
    return tx
      .createQueryBuilder(WorkflowDefinition, 'definition')
      .where("definition.trigger ->> 'event' = :event", { event })
      .andWhere(
        'definition.version = (SELECT max(newer.version) FROM workflow_definitions newer WHERE newer.key = definition.key)',
      )
      .getMany();
  }
}
