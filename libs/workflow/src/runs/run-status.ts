export enum RunStatus {
  Pending = 'pending',
  Running = 'running',
  Waiting = 'waiting',
  Completed = 'completed',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

export const FINISHED_RUN_STATUSES: readonly RunStatus[] = [
  RunStatus.Completed,
  RunStatus.Failed,
  RunStatus.Cancelled,
];

export enum StepRunStatus {
  /** A wait or wait_for_signal step the run is parked on. */
  Waiting = 'waiting',
  Completed = 'completed',
  Failed = 'failed',
  /** A wait_for_signal step whose timeout passed before a signal came. */
  TimedOut = 'timed_out',
  /** A waiting step of a run that was cancelled. */
  Cancelled = 'cancelled',
}
