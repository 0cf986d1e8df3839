import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { type ReplayAnchor } from '@mas/persistence';
import { EVENTS_READY, REPLAY_INCOMPLETE } from '../../apps/api/src/realtime/events.gateway.js';
import { type TestApp } from './test-app.js';

export interface ReceivedEvent {
  event: string;
  payload: unknown;
}

/** A client of the `/events` namespace that records every event it receives. */
export interface EventsClient {
  socket: Socket;
  received: ReceivedEvent[];
  /** The first `event` received (before or after the call), or a rejection after `timeoutMs`. */
  next(event: string, timeoutMs?: number): Promise<unknown>;
  /** The `since` of `events.ready` (kept apart from `received`): the socket is in its rooms. */
  ready: Promise<string | null>;
  close(): void;
}

export interface HandshakeCredentials {
  token?: string;
  headers?: Record<string, string>;
  /** The last event seen before: the server replays what came after it. */
  lastEventId?: string;
  /** Or, when none came, the `since` of the last `events.ready`. */
  since?: string;
}

/** Makes the test app listen on an ephemeral port; returns its base URL. */
export async function listen(testApp: TestApp): Promise<string> {
  await testApp.app.listen(0, '127.0.0.1');
  const { port } = testApp.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

function openSocket(
  baseUrl: string,
  { token, headers, lastEventId, since }: HandshakeCredentials,
): Socket {
  return io(`${baseUrl}/events`, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: {
      ...(token === undefined ? {} : { token }),
      ...(lastEventId ? { lastEventId } : {}),
      ...(since ? { since } : {}),
    },
    extraHeaders: headers,
    reconnection: false,
    forceNew: true,
  });
}

/** Connects and resolves once the server accepted the handshake. */
export function connectEvents(
  baseUrl: string,
  credentials: HandshakeCredentials,
  timeoutMs = 5000,
): Promise<EventsClient> {
  const socket = openSocket(baseUrl, credentials);
  const received: ReceivedEvent[] = [];
  const waiters = new Set<() => void>();
  const ready = new Promise<string | null>((resolve) =>
    socket.once(EVENTS_READY, (payload: { since: string | null }) => resolve(payload.since)),
  );
  socket.onAny((event: string, payload: unknown) => {
    if (event === EVENTS_READY) return;
    received.push({ event, payload });
    waiters.forEach((check) => check());
  });
  const client: EventsClient = {
    socket,
    received,
    ready,
    next: (event, eventTimeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = received.map((entry) => entry.event).join(', ') || 'nothing';
          reject(new Error(`no "${event}" within ${eventTimeoutMs} ms (received: ${seen})`));
        }, eventTimeoutMs);
        const check = () => {
          const found = received.find((entry) => entry.event === event);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found.payload);
        };
        waiters.add(check);
        check();
      }),
    close: () => {
      socket.close();
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`not connected within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(client);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
  });
}

/** Resolves with the handshake error; rejects if the server accepts the connection. */
export function handshakeRefusal(
  baseUrl: string,
  credentials: HandshakeCredentials,
  timeoutMs = 5000,
): Promise<Error> {
  const socket = openSocket(baseUrl, credentials);
  return new Promise<Error>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once('connect', () => {
      clearTimeout(timer);
      reject(new Error('the server accepted the connection'));
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      resolve(error);
    });
  }).finally(() => socket.close());
}

/**
 * A client as an application would run one: it reconnects by itself and sends the `id` of the last
 * event it received (or the `since` of `events.ready` when none came after it), so the server
 * replays what it missed. `counts` says how often each event id
 * arrived (more than once is a duplicate the application drops).
 */
export interface ResumingClient {
  counts: Map<string, number>;
  /** Successful connections: the first, then one per reconnect. */
  connects: number;
  incomplete: unknown[];
  close(): void;
}

export function connectResuming(baseUrl: string, token: string): Promise<ResumingClient> {
  let anchor: ReplayAnchor | undefined;
  const socket = io(`${baseUrl}/events`, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: (send) => send({ token, ...anchor }),
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    forceNew: true,
  });
  const client: ResumingClient = {
    counts: new Map(),
    connects: 0,
    incomplete: [],
    close: () => socket.close(),
  };
  socket.onAny((event: string, payload: { id?: string; since?: string }) => {
    if (event === REPLAY_INCOMPLETE) client.incomplete.push(payload);
    if (event === EVENTS_READY && payload.since) anchor = { since: payload.since };
    if (!payload?.id) return;
    anchor = { lastEventId: payload.id };
    client.counts.set(payload.id, (client.counts.get(payload.id) ?? 0) + 1);
  });
  socket.on('connect', () => client.connects++);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}
