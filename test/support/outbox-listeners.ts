import { OUTBOX_LISTENER_APPLICATION_NAME } from '@mas/persistence';
import type { TestDatabase } from './test-database.js';
import { until } from './until.js';

export interface ListenerSession {
  pid: number;
  /** Registered in outbox_listeners (it listens); false while its relay polls. */
  listening: boolean;
}

/** The outbox relays' listener sessions on the test database (pg_stat_activity). */
export async function listenerSessions(database: TestDatabase): Promise<ListenerSession[]> {
  const { rows } = await database.sql(
    `SELECT a.pid, EXISTS (SELECT FROM outbox_listeners l WHERE l.pid = a.pid) AS listening
       FROM pg_stat_activity a WHERE a.datname = current_database() AND a.application_name = $1`,
    [OUTBOX_LISTENER_APPLICATION_NAME],
  );
  return rows as ListenerSession[];
}

/** The backends of the listener sessions that listen now. */
export async function listeningPids(database: TestDatabase): Promise<number[]> {
  return (await listenerSessions(database))
    .filter((session) => session.listening)
    .map((session) => session.pid);
}

/** Waits until exactly `count` listener sessions listen; returns their backends. */
export function untilListening(
  database: TestDatabase,
  count: number,
  what: string,
): Promise<number[]> {
  return until(async () => {
    const pids = await listeningPids(database);
    return pids.length === count ? pids : undefined;
  }, what);
}
