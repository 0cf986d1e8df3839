/**
 * What the worker health server (jobs/worker-health) needs to also serve /metrics; the metrics
 * module provides it, and a worker without that module serves no /metrics.
 */
export interface WorkerMetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

export const WORKER_METRICS_SOURCE = Symbol('WORKER_METRICS_SOURCE');
