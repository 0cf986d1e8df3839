import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApiProcess } from '../../../test/support/api-process.js';
import { ledgerViolations } from '../../../test/support/ledger.js';
import { login, startTestApp, TEST_ADMIN, TestApp } from '../../../test/support/test-app.js';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-database.js';
import { createUserWithRole } from '../../../test/support/users.js';

const CLIENTS = 8;

/**
 * The API as a real process, killed with SIGKILL while clients credit wallets (an allotment
 * request, then its approval): whatever it acknowledged must be in the database, and the books
 * must agree, whatever transaction the kill cut short.
 */
describe('faults: SIGKILL of the API under load', () => {
  let database: TestDatabase;
  let setup: TestApp;
  let api: ChildProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    // Users are made through an app in this process; the load goes to the child.
    setup = await startTestApp(database);
  });

  afterAll(async () => {
    api?.kill('SIGKILL');
    await setup?.close();
    await database?.drop();
  });

  it('loses nothing it acknowledged, and the wallets still equal their ledgers', async () => {
    const adminToken = await login(setup, TEST_ADMIN.email, TEST_ADMIN.password);
    const students = await Promise.all(
      Array.from({ length: CLIENTS }, () => createUserWithRole(setup, 'student', adminToken)),
    );
    const started = await startApiProcess(database);
    api = started.child;
    const base = `${started.url}/api`;
    const headers = { Authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
    const approved: string[] = [];
    let requests = 0;
    let killed = false;
    const client = async (userId: string) => {
      while (!killed) {
        try {
          requests++;
          const created = await fetch(`${base}/finance/allotments`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ userId, tokens: 1, reason: 'sigkill test' }),
          });
          if (created.status !== 201) continue;
          const { id } = (await created.json()) as { id: string };
          requests++;
          const approval = await fetch(`${base}/finance/allotments/${id}/approve`, {
            method: 'POST',
            headers,
          });
          if (approval.status === 200) approved.push(id);
        } catch {
          await sleep(20);
        }
      }
    };
    const running = Promise.all(students.map((student) => client(student.id)));
    await sleep(2_000);
    api.kill('SIGKILL');
    await started.exited;
    killed = true;
    await running;

    expect(approved.length).toBeGreaterThan(0);
    const { rows: present } = await database.sql(
      `SELECT id FROM token_allotment_requests WHERE id = ANY($1::uuid[]) AND status = 'approved'`,
      [approved],
    );
    expect(present.length).toBe(approved.length);
    // Each wallet holds exactly its approved allotments: no credit half-applied, none twice.
    const { rows: mismatched } = await database.sql(
      `SELECT a.user_id, a.approved, coalesce(w.balance, 0) AS balance
         FROM (SELECT user_id, sum(tokens)::int AS approved FROM token_allotment_requests
                WHERE status = 'approved' GROUP BY user_id) a
         LEFT JOIN token_wallets w ON w.user_id = a.user_id
        WHERE coalesce(w.balance, 0) <> a.approved`,
    );
    expect(mismatched).toEqual([]);
    expect(await ledgerViolations(database)).toEqual([]);
    console.log(
      `SIGKILL under load: ${requests} requests, ${approved.length} credits acknowledged, ` +
        `${present.length} present and approved; wallets equal their ledgers`,
    );
  }, 120_000);
});
