import { type ErrorDetail, errorDetail } from '@mas/domain-errors';
import { parseExpression } from '../expressions/index.js';
import {
  STEP_TYPES,
  type StepConfig,
  transitionsOf,
  type WorkflowConfig,
  type WorkflowTrigger,
} from './definition-config.js';

/** What validation needs to know about the registered actions. */
export interface ActionCatalog {
  has(action: string): boolean;
  /** Problems with an action's params, as messages; empty when they are fine. */
  checkParams(action: string, params: Record<string, unknown>): string[];
}

const STEP_KEY = /^[a-z][a-z0-9_]{0,99}$/;
const EVENT_NAME = /^[a-z][a-z0-9_.-]{0,99}$/;
const MAX_STEPS = 100;
const MAX_BRANCHES = 20;
const MAX_DURATION_MS = 366 * 24 * 3600 * 1000;
const MAX_ATTEMPTS = 10;

const ALLOWED_FIELDS: Record<StepConfig['type'], readonly string[]> = {
  action: ['type', 'action', 'params', 'retry', 'next'],
  wait: ['type', 'durationMs', 'next'],
  wait_for_signal: ['type', 'event', 'next', 'timeoutMs', 'onTimeout', 'payloadCondition'],
  branch: ['type', 'branches', 'otherwise'],
  end: ['type'],
};

/**
 * Checks a definition's config and trigger: shapes, step types, registered actions and their params,
 * expressions, transitions that name existing steps, every step reachable from `start`, and an
 * `end` the run can reach. Returns every problem found, not only the first.
 */
export function validateDefinition(
  config: unknown,
  trigger: unknown,
  actions: ActionCatalog,
): ErrorDetail[] {
  const problems = new Problems();
  checkTrigger(trigger, problems);
  if (!isRecord(config)) {
    problems.add('config', 'must be an object with start and steps');
    return problems.list;
  }
  const steps = config.steps;
  if (!isRecord(steps) || !Object.keys(steps).length) {
    problems.add('config.steps', 'must be an object with at least one step');
    return problems.list;
  }
  const keys = Object.keys(steps);
  if (keys.length > MAX_STEPS) problems.add('config.steps', `at most ${MAX_STEPS} steps`);
  for (const key of keys) {
    if (!STEP_KEY.test(key)) {
      problems.add(`config.steps.${key}`, 'step keys are 1-100 of a-z, 0-9 and _, from a letter');
    }
    checkStep(key, steps[key], actions, problems);
  }
  if (typeof config.start !== 'string' || !Object.hasOwn(steps, config.start)) {
    problems.add('config.start', 'must name one of the steps');
  }
  for (const field of Object.keys(config)) {
    if (field !== 'start' && field !== 'steps') problems.add(`config.${field}`, 'unknown field');
  }
  if (!problems.list.length) checkGraph(config as unknown as WorkflowConfig, problems);
  return problems.list;
}

class Problems {
  readonly list: ErrorDetail[] = [];
  add(field: string, message: string): void {
    this.list.push(errorDetail(message, field));
  }
}

function checkTrigger(trigger: unknown, problems: Problems): void {
  if (trigger === undefined || trigger === null) return;
  if (!isRecord(trigger)) return problems.add('trigger', 'must be an object { event, when? }');
  const { event, when, ...rest } = trigger as Partial<WorkflowTrigger>;
  if (typeof event !== 'string' || !EVENT_NAME.test(event)) {
    problems.add('trigger.event', 'must be an event type such as application.created');
  }
  if (when !== undefined) checkExpression('trigger.when', when, problems);
  for (const field of Object.keys(rest)) problems.add(`trigger.${field}`, 'unknown field');
}

function checkStep(key: string, step: unknown, actions: ActionCatalog, problems: Problems): void {
  const path = `config.steps.${key}`;
  if (!isRecord(step)) return problems.add(path, 'must be an object with a type');
  const type = step.type as StepConfig['type'];
  if (!STEP_TYPES.includes(type)) {
    return problems.add(`${path}.type`, `unknown step type; one of ${STEP_TYPES.join(', ')}`);
  }
  for (const field of Object.keys(step)) {
    if (!ALLOWED_FIELDS[type].includes(field)) {
      problems.add(`${path}.${field}`, `not a field of ${type} steps`);
    }
  }
  if (type !== 'end' && type !== 'branch') checkStepKeyRef(`${path}.next`, step.next, problems);
  switch (type) {
    case 'action':
      return checkAction(path, step, actions, problems);
    case 'wait':
      return checkDuration(`${path}.durationMs`, step.durationMs, problems);
    case 'wait_for_signal':
      return checkWaitForSignal(path, step, problems);
    case 'branch':
      return checkBranch(path, step, problems);
  }
}

function checkAction(
  path: string,
  step: Record<string, unknown>,
  actions: ActionCatalog,
  problems: Problems,
): void {
  const { action, params, retry } = step;
  if (typeof action !== 'string' || !actions.has(action)) {
    problems.add(`${path}.action`, 'must name a registered action');
  } else if (params !== undefined && !isRecord(params)) {
    problems.add(`${path}.params`, 'must be an object');
  } else {
    for (const message of actions.checkParams(action, (params as Record<string, unknown>) ?? {}))
      problems.add(`${path}.params`, message);
  }
  if (retry === undefined) return;
  if (!isRecord(retry)) return problems.add(`${path}.retry`, 'must be { maxAttempts, backoffMs }');
  if (!isIntegerIn(retry.maxAttempts, 1, MAX_ATTEMPTS)) {
    problems.add(`${path}.retry.maxAttempts`, `must be an integer from 1 to ${MAX_ATTEMPTS}`);
  }
  if (!isIntegerIn(retry.backoffMs, 0, MAX_DURATION_MS)) {
    problems.add(`${path}.retry.backoffMs`, 'must be a whole number of milliseconds, 0 or more');
  }
}

function checkWaitForSignal(path: string, step: Record<string, unknown>, problems: Problems) {
  if (typeof step.event !== 'string' || !EVENT_NAME.test(step.event)) {
    problems.add(`${path}.event`, 'must be a signal name such as reviewed');
  }
  if ((step.timeoutMs === undefined) !== (step.onTimeout === undefined)) {
    problems.add(path, 'timeoutMs and onTimeout go together');
  }
  if (step.timeoutMs !== undefined) checkDuration(`${path}.timeoutMs`, step.timeoutMs, problems);
  if (step.onTimeout !== undefined) checkStepKeyRef(`${path}.onTimeout`, step.onTimeout, problems);
  if (step.payloadCondition !== undefined) {
    checkExpression(`${path}.payloadCondition`, step.payloadCondition, problems);
  }
}

function checkBranch(path: string, step: Record<string, unknown>, problems: Problems): void {
  const branches = step.branches;
  if (!Array.isArray(branches) || !branches.length || branches.length > MAX_BRANCHES) {
    problems.add(`${path}.branches`, `must be 1 to ${MAX_BRANCHES} of { when, next }`);
  } else {
    branches.forEach((branch: unknown, i) => {
      if (!isRecord(branch)) return problems.add(`${path}.branches.${i}`, 'must be { when, next }');
      checkExpression(`${path}.branches.${i}.when`, branch.when, problems);
      checkStepKeyRef(`${path}.branches.${i}.next`, branch.next, problems);
    });
  }
  checkStepKeyRef(`${path}.otherwise`, step.otherwise, problems);
}

function checkGraph(config: WorkflowConfig, problems: Problems): void {
  for (const [key, step] of Object.entries(config.steps)) {
    for (const target of transitionsOf(step)) {
      if (!Object.hasOwn(config.steps, target)) {
        problems.add(`config.steps.${key}`, `transition to "${target}", which is not a step`);
      }
    }
  }
  if (problems.list.length) return;
  const reached = new Set([config.start]);
  const queue = [config.start];
  while (queue.length) {
    for (const target of transitionsOf(config.steps[queue.shift()!])) {
      if (reached.has(target)) continue;
      reached.add(target);
      queue.push(target);
    }
  }
  for (const key of Object.keys(config.steps)) {
    if (!reached.has(key)) problems.add(`config.steps.${key}`, 'unreachable from start');
  }
  if (![...reached].some((key) => config.steps[key].type === 'end')) {
    problems.add('config.steps', 'no end step is reachable from start');
  }
}

function checkStepKeyRef(path: string, value: unknown, problems: Problems): void {
  if (typeof value !== 'string' || !value) problems.add(path, 'must name a step');
}

function checkDuration(path: string, value: unknown, problems: Problems): void {
  if (!isIntegerIn(value, 1, MAX_DURATION_MS)) {
    problems.add(path, 'must be a whole number of milliseconds from 1 to a year');
  }
}

function checkExpression(path: string, value: unknown, problems: Problems): void {
  if (typeof value !== 'string') return problems.add(path, 'must be an expression string');
  try {
    parseExpression(value);
  } catch (error) {
    problems.add(path, (error as Error).message);
  }
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
