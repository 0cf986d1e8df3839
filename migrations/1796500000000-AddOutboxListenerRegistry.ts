import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A transaction that calls pg_notify takes a database-wide lock at commit and holds it until its
 * commit record is flushed: every notifying commit waits for the one before it, and commits
 * that would share one WAL flush each pay their own. The outbox relays stop listening while
 * drains keep finding rows; writers then need not notify at all.
 *
 * `outbox_listeners` holds the backend of each relay listener that listens now (registered in
 * the transaction that runs LISTEN, removed in the one that runs UNLISTEN; a row whose backend is
 * gone is removed by the next registration). Unlogged: its rows describe sessions, which a crash
 * ends anyway.
 *
 * `outbox_wake_relays()` notifies only while some listener is registered. It is VOLATILE, so under
 * READ COMMITTED its query reads the registry as of the call, after the caller's row gave its
 * transaction an id: a writer that sees no listener was in flight when the registration
 * committed, and the registering relay waits for the transactions in flight then (see
 * UnannouncedWriters). Under a stronger isolation the transaction's snapshot may be older than
 * its id, so it always notifies.
 */
export class AddOutboxListenerRegistry1796500000000 implements MigrationInterface {
  name = 'AddOutboxListenerRegistry1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // migration-guard allow style-int-key: the key is a backend's pid, an int4 in Postgres itself
    await queryRunner.query(`
      CREATE UNLOGGED TABLE outbox_listeners (
        pid integer PRIMARY KEY,
        since timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION outbox_wake_relays() RETURNS void LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        IF current_setting('transaction_isolation') <> 'read committed'
           OR EXISTS (SELECT FROM outbox_listeners) THEN
          PERFORM pg_notify('outbox_messages', '');
        END IF;
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS outbox_wake_relays()`);
    await queryRunner.query(`DROP TABLE IF EXISTS outbox_listeners`);
  }
}
