import { type SourceName } from '../source/source-name.js';

export interface ResourceRunResult {
  resource: string;
  pages: number;
  items: number;
  deleted: number;
  /** The pass reached the platform's last page. */
  caughtUp: boolean;
  error?: string;
}

/**
 * `done`: every resource caught up; `failed`: one stopped (its error recorded, later resources not
 * tried); `busy`: another run holds the source; `off`: the source has no URL configured.
 */
export interface SourceRunResult {
  source: SourceName;
  status: 'done' | 'failed' | 'busy' | 'off';
  resources: ResourceRunResult[];
}
