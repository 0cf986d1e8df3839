import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApiProcess } from '@mas/testing/api-process.js';
import { TEST_ADMIN } from '@mas/testing/test-app.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { until } from '@mas/testing/until.js';

const CLIENTS = 12;

interface Outcome {
  sentAt: number;
  status?: number;
  closes?: boolean;
  /** The error code when no answer came (ECONNREFUSED: the server no longer accepts connections). */
  error?: string;
  createdCode?: string;
}

function errorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as Error).message;
}

describe('faults: SIGTERM under load', () => {
  let database: TestDatabase;
  let api: ChildProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
  });

  afterAll(async () => {
    api?.kill('SIGKILL');
    await database?.drop();
  });

  it('fails readiness at once, closes keep-alive connections, finishes every request it accepted, and exits', async () => {
    const started = await startApiProcess(database);
    api = started.child;
    const base = `${started.url}/api`;
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(TEST_ADMIN),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { Authorization: `Bearer ${accessToken}` };

    let signalledAt = Infinity;
    let stop = false;
    const outcomes: Outcome[] = [];
    // fetch keeps connections alive: after the signal, these clients still hold open ones.
    const client = async (id: number) => {
      for (let n = 0; !stop; n++) {
        const code = `TERM-${id}-${n}`;
        const outcome: Outcome = { sentAt: performance.now() };
        try {
          const response =
            n % 2 === 0
              ? await fetch(`${base}/lms/courses`, {
                  method: 'POST',
                  headers: { ...auth, 'content-type': 'application/json' },
                  body: JSON.stringify({ code, title: `Term ${code}`, price: '5.00' }),
                })
              : await fetch(`${base}/lms/courses`, { headers: auth });
          await response.arrayBuffer();
          outcome.status = response.status;
          outcome.closes = response.headers.get('connection') === 'close';
          if (response.status === 201) outcome.createdCode = code;
        } catch (error) {
          outcome.error = errorCode(error);
          await sleep(20);
        }
        outcomes.push(outcome);
      }
    };
    const running = Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id)));
    await sleep(1_500);
    signalledAt = performance.now();
    api.kill('SIGTERM');
    // Readiness, polled from the signal on: it must turn (503 on an open connection, or a refused
    // new one) and never come back. When it turned, the process had handled the signal.
    const readiness = await until(
      () =>
        fetch(`${base}/health/ready`).then(
          (response) => (response.status === 200 ? undefined : response.status),
          (error: unknown) => errorCode(error),
        ),
      'readiness to fail after SIGTERM',
      5_000,
    );
    const drainingSeenAt = performance.now();
    const code = await started.exited;
    stop = true;
    await running;

    expect(code).toBe(0);
    // Never ready again: an open connection hears 503, a new one is refused.
    expect([503, 'ECONNREFUSED']).toContain(readiness);
    const before = outcomes.filter((outcome) => outcome.sentAt < signalledAt);
    const after = outcomes.filter((outcome) => outcome.sentAt >= signalledAt);
    // Sent before the signal: every one answered, none failed.
    expect(before.length).toBeGreaterThan(0);
    expect(
      before.filter((outcome) => outcome.status === undefined || outcome.status >= 300),
    ).toEqual([]);
    // Sent after it: answered, or refused a new connection (never a 5xx or a reset); and once the
    // signal was handled, every answer tells the client to close the connection.
    for (const outcome of after) {
      if (outcome.status === undefined) expect(outcome.error).toBe('ECONNREFUSED');
      else expect(outcome.status).toBeLessThan(300);
    }
    const settled = after.filter(
      (outcome) => outcome.status !== undefined && outcome.sentAt > drainingSeenAt,
    );
    expect(settled.filter((outcome) => !outcome.closes)).toEqual([]);
    const acknowledged = outcomes.flatMap((outcome) => outcome.createdCode ?? []);
    const { rows } = await database.sql('SELECT code FROM courses WHERE code = ANY($1::text[])', [
      acknowledged,
    ]);
    expect(rows.length).toBe(acknowledged.length);
    console.log(
      `SIGTERM under load: ${outcomes.length} requests (${before.length} before the signal, all answered 2xx); ` +
        `after it ${after.filter((o) => o.status !== undefined).length} answered ` +
        `(${after.filter((o) => o.closes).length} with Connection: close), ` +
        `${after.filter((o) => o.error === 'ECONNREFUSED').length} refused a new connection; ` +
        `${acknowledged.length} writes acknowledged, ${rows.length} present; exit code ${code}`,
    );
  }, 120_000);
});
