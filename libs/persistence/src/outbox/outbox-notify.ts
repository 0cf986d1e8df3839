import { type DataSource } from 'typeorm';

/**
 * The channel relays LISTEN on. A notification carries no payload: it only says "rows may be due",
 * and Postgres folds identical notifications of one transaction into one.
 */
export const OUTBOX_NOTIFY_CHANNEL = 'outbox_messages';

/**
 * A select-list expression that notifies the relays when its statement's transaction commits, if
 * any relay listens now (the registry of migration AddOutboxListenerRegistry). Under load every
 * relay polls instead of listening, and writers skip the notification, whose commit would wait
 * for every other notifying commit.
 */
export const NOTIFY_RELAYS_SQL = 'outbox_wake_relays()';

/** Wakes every relay now, for rows made due outside an insert (leases given back, re-queues). */
export async function notifyRelays(dataSource: DataSource): Promise<void> {
  await dataSource.query(`SELECT ${NOTIFY_RELAYS_SQL}`);
}
