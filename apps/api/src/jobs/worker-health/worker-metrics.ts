/** What the worker health server needs to also serve /metrics (provided by the metrics module). */
export interface WorkerMetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

export const WORKER_METRICS_SOURCE = Symbol('WORKER_METRICS_SOURCE');
