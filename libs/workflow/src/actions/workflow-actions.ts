import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ActionCatalog } from '../definitions/validate-definition.js';

/** What an action executor gets: the step's transaction, the run and the step's params. */
export interface ActionInput {
  /** The transaction that also records the step: write effects here (outbox for the outside). */
  tx: EntityManager;
  run: {
    id: string;
    definitionKey: string;
    subjectType: string;
    subjectId: string;
    context: Readonly<Record<string, unknown>>;
    /** The key of the step being executed, for messages. */
    step: string;
    attempt: number;
  };
  params: Readonly<Record<string, unknown>>;
}

/** Shallow-merged into the run's context and kept as the step's output. */
export type ActionOutput = Record<string, unknown> | void;

export interface WorkflowAction {
  /**
   * Throws a PermanentError (@mas/domain-errors) when retrying cannot help (the subject is gone or
   * in the wrong state): the run fails at once. Any other error is retried per the step's policy.
   */
  run(input: ActionInput): Promise<ActionOutput>;
  /**
   * The output depends only on the input, and the executor neither reads nor writes through `tx`:
   * the engine then runs the step without locking the run first (one statement, applied only if
   * the run is unchanged). An action that touches `tx` must leave this unset.
   */
  pure?: boolean;
  /** Problems with a step's params, checked when a definition is saved. */
  checkParams?(params: Readonly<Record<string, unknown>>): string[];
}

const ACTION_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/**
 * The registry other libs add their actions to, under a namespaced name (`crm.assign_sales_owner`),
 * typically in their module's onModuleInit.
 */
@Injectable()
export class WorkflowActions implements ActionCatalog {
  private readonly actions = new Map<string, WorkflowAction>();

  register(name: string, action: WorkflowAction): void {
    if (!ACTION_NAME.test(name)) throw new Error(`action name "${name}" must look like lib.verb`);
    if (this.actions.has(name)) throw new Error(`action "${name}" is registered twice`);
    this.actions.set(name, action);
  }

  get(name: string): WorkflowAction | undefined {
    return this.actions.get(name);
  }

  has(name: string): boolean {
    return this.actions.has(name);
  }

  names(): string[] {
    return [...this.actions.keys()].sort();
  }

  checkParams(name: string, params: Readonly<Record<string, unknown>>): string[] {
    return this.actions.get(name)?.checkParams?.(params) ?? [];
  }
}

/** A `checkParams` requiring `params[field]` to be one of `allowed`. */
export function paramOneOf(field: string, allowed: readonly string[]) {
  return (params: Readonly<Record<string, unknown>>): string[] =>
    allowed.includes(params[field] as string)
      ? []
      : [`${field} must be one of ${allowed.join(', ')}`];
}
