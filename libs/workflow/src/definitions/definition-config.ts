/** The JSON config of a workflow definition: named steps and the transitions between them. */
export interface WorkflowConfig {
  /** The key of the first step. */
  start: string;
  steps: Record<string, StepConfig>;
}

export type StepConfig = ActionStep | WaitStep | WaitForSignalStep | BranchStep | EndStep;

export const STEP_TYPES = ['action', 'wait', 'wait_for_signal', 'branch', 'end'] as const;
export type StepType = (typeof STEP_TYPES)[number];

export interface RetryPolicy {
  /** Attempts in all, the first included (1 = no retry). */
  maxAttempts: number;
  /** Delay before the second attempt; doubled for each further one. */
  backoffMs: number;
}

/** Calls an executor registered under `action`; its output is merged into the run's context. */
export interface ActionStep {
  type: 'action';
  action: string;
  params?: Record<string, unknown>;
  retry?: RetryPolicy;
  next: string;
}

/** A timer: the run sleeps for `durationMs`, then goes on to `next`. */
export interface WaitStep {
  type: 'wait';
  durationMs: number;
  next: string;
}

/**
 * Waits for `POST /runs/:id/signal { event }`; its payload lands in `context.signals.<event>`.
 * With `timeoutMs`, the run goes to `onTimeout` when no signal came in time. `payloadCondition`
 * (an expression over `payload`) refuses signals whose payload does not satisfy it.
 */
export interface WaitForSignalStep {
  type: 'wait_for_signal';
  event: string;
  next: string;
  timeoutMs?: number;
  onTimeout?: string;
  payloadCondition?: string;
}

/** Goes to the `next` of the first branch whose `when` holds over the context, else `otherwise`. */
export interface BranchStep {
  type: 'branch';
  branches: { when: string; next: string }[];
  otherwise: string;
}

export interface EndStep {
  type: 'end';
}

/** Starts a run of the definition when a domain event of this type commits (and `when` holds). */
export interface WorkflowTrigger {
  event: string;
  /** An expression over the event: `subject.type`, `subject.id` and `data.*`. */
  when?: string;
}

/** Every key a step of the given type may name another step under. */
export function transitionsOf(step: StepConfig): string[] {
  switch (step.type) {
    case 'action':
    case 'wait':
      return [step.next];
    case 'wait_for_signal':
      return step.onTimeout ? [step.next, step.onTimeout] : [step.next];
    case 'branch':
      return [...step.branches.map((branch) => branch.next), step.otherwise];
    case 'end':
      return [];
  }
}
