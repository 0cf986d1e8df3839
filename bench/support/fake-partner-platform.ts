import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A record as the platform serves it: `id`, `updated_at` (ISO, UTC) and the resource's fields. */
export interface PlatformRecord {
  id: string;
  updated_at: string;
  deleted?: boolean;
  [field: string]: unknown;
}

/** What one request was asked and answered, in arrival order. */
export interface PlatformRequest {
  resource: string;
  updatedSince: string | null;
  cursor: string | null;
  limit: number;
  status: number;
  /** Ids served (200 only). */
  ids: string[];
  /** When the request arrived (ms since the epoch). */
  at: number;
}

/**
 * How to answer a request instead of (or before) serving its page: an error status (with
 * Retry-After for a 429), a delay, or a wait for `until` to settle (the test decides when).
 */
export type PlatformFault =
  | { status: number; retryAfter?: string; body?: string }
  | { delayMs: number }
  | { until: Promise<unknown> };

export type FaultRule = (
  request: Omit<PlatformRequest, 'status' | 'ids' | 'at'>,
) => PlatformFault | undefined;

interface Collection {
  byId: Map<string, PlatformRecord>;
  /** By (updated_at, id); rebuilt after a change. */
  sorted: PlatformRecord[] | null;
}

const MAX_LIMIT = 1000;

/**
 * A partner platform (Mr. Learn, Mr. Test) as a real HTTP server on 127.0.0.1: the paged contract
 * of docs/external-sync.md (`GET /v1/<resource>?updated_since=&cursor=&limit=` → `{ items,
 * next_cursor }`, bearer token), with records a test changes between runs and faults it injects.
 * Pages are keyset pages over (updated_at, id); the cursor is the last item's key, so a record
 * changed during a pass moves behind it and is served again later in the pass.
 */
export class FakePartnerPlatform {
  readonly requests: PlatformRequest[] = [];
  private readonly collections = new Map<string, Collection>();
  private rules: FaultRule[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly token: string,
  ) {}

  static async start(token = 'platform-token'): Promise<FakePartnerPlatform> {
    const answering: { platform?: FakePartnerPlatform } = {};
    const server = createServer((request, response) => {
      answering.platform!.answer(request, response).catch((error: Error) => {
        if (!response.headersSent) response.writeHead(500).end(error.message);
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    answering.platform = new FakePartnerPlatform(server, `http://127.0.0.1:${port}`, token);
    return answering.platform;
  }

  /** Adds or replaces records (by id). */
  put(resource: string, records: PlatformRecord[]): void {
    const collection = this.collection(resource);
    for (const record of records) collection.byId.set(record.id, record);
    collection.sorted = null;
  }

  /** Serves `id` as deleted from now on, changed at `updatedAt`. */
  remove(resource: string, id: string, updatedAt: string): void {
    this.put(resource, [{ id, updated_at: updatedAt, deleted: true }]);
  }

  /** Rules are asked in order for each request; the first fault returned answers it. */
  fault(rule: FaultRule): void {
    this.rules.push(rule);
  }

  clearFaults(): void {
    this.rules = [];
  }

  served(resource: string): PlatformRequest[] {
    return this.requests.filter((request) => request.resource === resource);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private collection(resource: string): Collection {
    let collection = this.collections.get(resource);
    if (!collection) {
      collection = { byId: new Map(), sorted: null };
      this.collections.set(resource, collection);
    }
    return collection;
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const match = /^\/v1\/([a-z_]+)$/.exec(url.pathname);
    if (!match || request.method !== 'GET') return void response.writeHead(404).end();
    if (request.headers.authorization !== `Bearer ${this.token}`) {
      return void response.writeHead(401).end('{"error":"unauthorized"}');
    }
    const at = Date.now();
    const asked = {
      resource: match[1],
      updatedSince: url.searchParams.get('updated_since'),
      cursor: url.searchParams.get('cursor'),
      limit: Math.min(MAX_LIMIT, Number(url.searchParams.get('limit') ?? 100) || 100),
    };
    for (const rule of this.rules) {
      const fault = rule(asked);
      if (!fault) continue;
      if ('delayMs' in fault) await sleep(fault.delayMs);
      else if ('until' in fault) await fault.until;
      else {
        this.requests.push({ ...asked, status: fault.status, ids: [], at });
        const headers = fault.retryAfter ? { 'retry-after': fault.retryAfter } : undefined;
        return void response.writeHead(fault.status, headers).end(fault.body ?? '');
      }
      break;
    }
    const page = this.page(asked.resource, asked.updatedSince, asked.cursor, asked.limit);
    if (!page) {
      this.requests.push({ ...asked, status: 400, ids: [], at });
      return void response.writeHead(400).end('{"error":"bad cursor or updated_since"}');
    }
    this.requests.push({ ...asked, status: 200, ids: page.items.map((item) => item.id), at });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(page));
  }

  private page(
    resource: string,
    updatedSince: string | null,
    cursor: string | null,
    limit: number,
  ): { items: PlatformRecord[]; next_cursor: string | null } | null {
    const sorted = this.sorted(resource);
    let after: [string, string] | null = null;
    if (cursor) {
      try {
        after = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
      } catch {
        return null;
      }
    }
    const since = updatedSince ? new Date(updatedSince) : null;
    if (since && Number.isNaN(since.getTime())) return null;
    let start = since ? firstIndex(sorted, (r) => r.updated_at >= since.toISOString()) : 0;
    if (after) {
      const [updatedAt, id] = after;
      start = Math.max(
        start,
        firstIndex(
          sorted,
          (r) => r.updated_at > updatedAt || (r.updated_at === updatedAt && r.id > id),
        ),
      );
    }
    const items = sorted.slice(start, start + limit);
    const last = items.at(-1);
    const more = start + limit < sorted.length;
    return {
      items,
      next_cursor:
        more && last
          ? Buffer.from(JSON.stringify([last.updated_at, last.id])).toString('base64url')
          : null,
    };
  }

  private sorted(resource: string): PlatformRecord[] {
    const collection = this.collection(resource);
    collection.sorted ??= [...collection.byId.values()].sort((a, b) =>
      a.updated_at === b.updated_at
        ? a.id < b.id
          ? -1
          : a.id > b.id
            ? 1
            : 0
        : a.updated_at < b.updated_at
          ? -1
          : 1,
    );
    return collection.sorted;
  }
}

/** The first index whose record satisfies `from` (records are sorted so it holds from there on). */
function firstIndex(records: PlatformRecord[], from: (record: PlatformRecord) => boolean): number {
  let [low, high] = [0, records.length];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (from(records[middle])) high = middle;
    else low = middle + 1;
  }
  return low;
}
