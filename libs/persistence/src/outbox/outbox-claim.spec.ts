import { migrateDatabase } from '@mas/persistence';
import { PrivatePostgres } from '@mas/testing/private-postgres.js';
import type pg from 'pg';

const ROWS = 3000;

/**
 * On a server of its own: a scan marks an index entry dead only once no transaction on the whole
 * server could still see its row, and on the shared server other test files' open transactions
 * would keep every entry alive for as long as they run.
 */
describe('outbox_claim', () => {
  let server: PrivatePostgres;
  let database: Awaited<ReturnType<PrivatePostgres['database']>>;
  let client: pg.Client;

  beforeAll(async () => {
    server = await PrivatePostgres.create();
    database = await server.database('mas_outbox_claim');
    await migrateDatabase(database.connection);
    client = await database.session();
    // Read the shared counters on every call, not a snapshot taken once per transaction.
    await client.query(`SET stats_fetch_consistency = none`);
  }, 60_000);

  afterAll(async () => {
    await database?.end();
    await server?.destroy();
  });

  /** Entries the due index has returned to scans so far, this session's included. */
  async function dueIndexEntriesRead(): Promise<number> {
    await client.query('SELECT pg_stat_force_next_flush()');
    await client.query('SELECT 1'); // this session's counts are flushed once that call's transaction ends
    const { rows } = await client.query<{ read: string }>(
      `SELECT idx_tup_read AS read FROM pg_stat_user_indexes WHERE indexrelname = 'idx_outbox_messages_due'`,
    );
    return Number(rows[0].read);
  }

  it('reads the dead index entries of finished rows once, not again on every claim', async () => {
    await database.sql(
      `INSERT INTO outbox_messages (channel, topic, payload, audience)
       SELECT 'realtime', 'test.claim', '{}', '{user:x}' FROM generate_series(1, $1)`,
      [ROWS],
    );
    // Every row leaves the pending state: its entry in the due index is dead until a VACUUM. The
    // planner picks a bitmap scan for so few pending rows, and a bitmap scan would read all of these
    // entries again on every claim.
    await database.sql(`UPDATE outbox_messages SET status = 'dispatched', dispatched_at = now()`);

    const claim = () => client.query(`SELECT * FROM outbox_claim('{realtime}', 100, 30)`);
    const start = await dueIndexEntriesRead();
    expect((await claim()).rowCount).toBe(0);
    const first = await dueIndexEntriesRead();
    expect((await claim()).rowCount).toBe(0);
    const second = await dueIndexEntriesRead();

    expect(first - start).toBeGreaterThanOrEqual(ROWS);
    expect(second - first).toBeLessThan(ROWS / 100);
  });

  it('claims due rows of the given channels oldest first and leases them', async () => {
    await database.sql(`DELETE FROM outbox_messages`);
    await database.sql(
      `INSERT INTO outbox_messages (channel, topic, payload, audience, next_attempt_at)
       VALUES ('realtime', 'second', '{}', '{}', now() - interval '1 minute'),
              ('realtime', 'first', '{}', '{}', now() - interval '2 minutes'),
              ('realtime', 'not due', '{}', '{}', now() + interval '1 minute'),
              ('email', 'other channel', '{}', '{}', now() - interval '3 minutes')`,
    );
    const claim = async (batch: number) =>
      (
        await client.query<{ topic: string; attempts: number; leased: boolean }>(
          `SELECT topic, attempts, next_attempt_at > now() + interval '29 seconds' AS leased
             FROM outbox_claim('{realtime}', $1, 30)`,
          [batch],
        )
      ).rows;

    expect(await claim(1)).toEqual([{ topic: 'first', attempts: 1, leased: true }]);
    expect(await claim(10)).toEqual([{ topic: 'second', attempts: 1, leased: true }]);
    expect(await claim(10)).toEqual([]);
  });
});
