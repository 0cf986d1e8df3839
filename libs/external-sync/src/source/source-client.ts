import { setTimeout as sleep } from 'node:timers/promises';
import { type ExternalSyncConfig, type SourceEndpoint } from '../config/external-sync-config.js';
import { retryAfterMs } from './retry-after.js';

export interface PageRequest {
  resource: string;
  updatedSince: Date | null;
  cursor: string | null;
  limit: number;
}

export interface SourcePage {
  items: unknown[];
  nextCursor: string | null;
}

/** The platform could not be read: the run stops and records `message`. */
export class SourceRequestError extends Error {}

/** The platform refused the cursor it issued (400 or 410 on a cursor request): start the pass again. */
export class CursorRejectedError extends SourceRequestError {}

type RetryPolicy = Pick<
  ExternalSyncConfig,
  'maxAttempts' | 'retryBaseMs' | 'maxRetryAfterMs' | 'requestTimeoutMs'
>;

/** What a request ended with that is worth another try, after `waitMs`. */
interface Retryable {
  reason: string;
  waitMs: number;
}

const MAX_BACKOFF_MS = 60_000;

/**
 * `GET <base>/v1/<resource>?updated_since=&cursor=&limit=` with the bearer token. A 429 waits for its
 * Retry-After (a longer one than allowed ends the run); 5xx, timeouts and network errors back off
 * exponentially; each counts as one of `maxAttempts` tries. Any other 4xx ends the run at once.
 */
export class SourceClient {
  constructor(
    private readonly endpoint: SourceEndpoint,
    private readonly policy: RetryPolicy,
    private readonly signal: AbortSignal,
  ) {}

  async fetchPage(request: PageRequest): Promise<SourcePage> {
    const url = this.pageUrl(request);
    let last = '';
    for (let attempt = 1; attempt <= this.policy.maxAttempts; attempt++) {
      const outcome = await this.attempt(url, request, attempt);
      if ('items' in outcome) return outcome;
      last = outcome.reason;
      if (attempt < this.policy.maxAttempts) {
        await sleep(outcome.waitMs, undefined, { signal: this.signal });
      }
    }
    throw new SourceRequestError(
      `GET /v1/${request.resource} failed ${this.policy.maxAttempts} times; last: ${last}`,
    );
  }

  private async attempt(
    url: URL,
    request: PageRequest,
    attempt: number,
  ): Promise<SourcePage | Retryable> {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          accept: 'application/json',
          ...(this.endpoint.token ? { authorization: `Bearer ${this.endpoint.token}` } : {}),
        },
        signal: AbortSignal.any([this.signal, AbortSignal.timeout(this.policy.requestTimeoutMs)]),
      });
    } catch (error) {
      if (this.signal.aborted) throw this.signal.reason;
      return { reason: describeFetchError(error), waitMs: this.backoffMs(attempt) };
    }
    if (response.ok) return readPage(response, request.resource);
    const body = (await response.text().catch(() => '')).slice(0, 200);
    const status = `HTTP ${response.status}${body ? ` ${body}` : ''}`;
    if (response.status === 429) {
      const waitMs = retryAfterMs(response.headers.get('retry-after')) ?? this.backoffMs(attempt);
      if (waitMs > this.policy.maxRetryAfterMs) {
        throw new SourceRequestError(
          `throttled: Retry-After ${Math.ceil(waitMs / 1000)} s is longer than SYNC_MAX_RETRY_AFTER_S`,
        );
      }
      return { reason: status, waitMs };
    }
    if (response.status >= 500) return { reason: status, waitMs: this.backoffMs(attempt) };
    if (request.cursor && (response.status === 400 || response.status === 410)) {
      throw new CursorRejectedError(`the cursor was refused: ${status}`);
    }
    throw new SourceRequestError(`GET /v1/${request.resource}: ${status}`);
  }

  private pageUrl({ resource, updatedSince, cursor, limit }: PageRequest): URL {
    const base = this.endpoint.baseUrl.href.replace(/\/+$/, '');
    const url = new URL(`${base}/v1/${encodeURIComponent(resource)}`);
    if (updatedSince) url.searchParams.set('updated_since', updatedSince.toISOString());
    if (cursor) url.searchParams.set('cursor', cursor);
    url.searchParams.set('limit', String(limit));
    return url;
  }

  /** base · 2^(attempt-1), capped, with jitter in its upper half so workers spread out. */
  private backoffMs(attempt: number): number {
    const ceiling = Math.min(MAX_BACKOFF_MS, this.policy.retryBaseMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }
}

async function readPage(response: Response, resource: string): Promise<SourcePage> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new SourceRequestError(`GET /v1/${resource}: the body is not JSON`);
  }
  const page = body as { items?: unknown; next_cursor?: unknown } | null;
  const nextCursor = page?.next_cursor ?? null;
  if (!Array.isArray(page?.items) || (nextCursor !== null && typeof nextCursor !== 'string')) {
    throw new SourceRequestError(
      `GET /v1/${resource}: the body is not { items: [...], next_cursor: string | null }`,
    );
  }
  return { items: page.items, nextCursor: nextCursor === '' ? null : nextCursor };
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === 'TimeoutError') return 'the request timed out';
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
