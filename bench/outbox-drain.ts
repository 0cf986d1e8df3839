/**
 * Outbox drain rate: how fast the relay empties a backlog of committed realtime events into the
 * Socket.IO gateway (through the Redis adapter), with a connected client counting deliveries.
 * The baseline, in the same run, drains an equal backlog with only the relay's SQL (claim a batch
 * with SKIP LOCKED, mark it dispatched), so the ratio shows what dispatching costs on top.
 *
 *   npm run bench:outbox   (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/mas_bench_outbox)
 *   BENCH_ROWS (20000)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { NOTIFY_RELAYS_SQL, OutboxRelay } from '@mas/persistence';
import { connectAdminSocket } from './support/admin-socket.js';
import { withScratchApp } from './support/scratch-app.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
const BATCH = 100;

const result = await withScratchApp(
  'postgres://postgres@127.0.0.1:5432/mas_bench_outbox',
  { APP_ROLE: 'api', OUTBOX_BATCH_SIZE: String(BATCH), OUTBOX_POLL_MS: '50' },
  async ({ app, baseUrl, pool }) => {
    const socket = await connectAdminSocket(app, baseUrl, pool);
    let delivered = 0;
    socket.on('bench.tick', () => delivered++);

    const insertBacklog = (type: string) =>
      pool.query(
        `WITH backlog AS (INSERT INTO outbox_messages (channel, topic, payload, audience)
         SELECT 'realtime', $1::text, jsonb_build_object('type', $1::text, 'occurredAt', now(), 'data', jsonb_build_object('n', g)), '{role:admin}'
           FROM generate_series(1, $2) g)
         SELECT ${NOTIFY_RELAYS_SQL}`,
        [type, ROWS],
      );

    const relayStarted = performance.now();
    await insertBacklog('bench.tick');
    const deadline = relayStarted + 120_000;
    const pendingCount = async () =>
      (
        await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox_messages WHERE status <> 'dispatched'`,
        )
      ).rows[0].n;
    let pending = ROWS;
    while ((delivered < ROWS || pending > 0) && performance.now() < deadline) {
      await sleep(20);
      if (delivered >= ROWS) pending = await pendingCount();
    }
    const relaySeconds = (performance.now() - relayStarted) / 1000;
    socket.close();

    // Baseline: the same backlog drained by the relay's SQL alone, with the app's relay stopped.
    await app.get(OutboxRelay).beforeApplicationShutdown();
    await pool.query(`DELETE FROM outbox_messages`);
    await insertBacklog('bench.baseline');
    const baselineStarted = performance.now();
    for (;;) {
      const claimed = await pool.query(
        `UPDATE outbox_messages SET attempts = attempts + 1, next_attempt_at = now() + interval '30 seconds'
          WHERE id IN (SELECT id FROM outbox_messages WHERE status = 'pending' AND next_attempt_at <= now()
                        ORDER BY next_attempt_at, created_at LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING id`,
        [BATCH],
      );
      if (!claimed.rowCount) break;
      await pool.query(
        `UPDATE outbox_messages SET status = 'dispatched', dispatched_at = now() WHERE id = ANY($1)`,
        [claimed.rows.map((row: { id: string }) => row.id)],
      );
    }
    const baselineSeconds = (performance.now() - baselineStarted) / 1000;
    return { relaySeconds, baselineSeconds, delivered, pending };
  },
);

const relayRate = ROWS / result.relaySeconds;
const baselineRate = ROWS / result.baselineSeconds;
console.log(`outbox drain: ${ROWS} realtime rows, batches of ${BATCH}`);
console.log(
  `relay → gateway (Redis adapter)  ${Math.round(relayRate)} rows/s  delivered ${result.delivered}/${ROWS}, left pending ${result.pending}`,
);
console.log(`baseline: claim + mark SQL only  ${Math.round(baselineRate)} rows/s`);
console.log(`ratio: ${(relayRate / baselineRate).toFixed(2)}`);
process.exit(result.delivered === ROWS && result.pending === 0 ? 0 : 1);
