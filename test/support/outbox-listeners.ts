import { OUTBOX_LISTENER_APPLICATION_NAME } from '@mas/persistence';
import type { TestDatabase } from './test-database.js';
import { until } from './until.js';

export interface ListenerSession {
  pid: number;
  /** The session's last statement: LISTEN while it listens, `UNLISTEN *` while its relay polls. */
  query: string;
}

/** The outbox relays' listener sessions on the test database (pg_stat_activity). */
export async function listenerSessions(database: TestDatabase): Promise<ListenerSession[]> {
  const { rows } = await database.sql(
    `SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
    [OUTBOX_LISTENER_APPLICATION_NAME],
  );
  return rows as ListenerSession[];
}

/** The backends of the listener sessions that listen now (their last statement was LISTEN). */
export async function listeningPids(database: TestDatabase): Promise<number[]> {
  return (await listenerSessions(database))
    .filter((session) => /^LISTEN\b/i.test(session.query))
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
