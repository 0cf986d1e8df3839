import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { type WorkerMetricsSource } from './worker-metrics-source.js';

/**
 * One Prometheus registry per application instance (not prom-client's global one: tests boot
 * several apps in one process, and a metric name may be registered once per registry).
 */
@Injectable()
export class MetricsRegistry implements WorkerMetricsSource {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** `text/plain; version=0.0.4; charset=utf-8` */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Runs every gauge's collect (database, Redis) and renders the exposition text. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
