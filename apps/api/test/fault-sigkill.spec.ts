import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { startApiProcess } from '@mas/testing/api-process.js';
import { allotmentViolations, ledgerViolations } from '@mas/testing/ledger.js';
import { MoneyLoad } from '@mas/testing/money-load.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { createUserWithRole } from '@mas/testing/users.js';

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
    const load = new MoneyLoad(() => request(started.url));
    const running = Promise.all(
      students.map((student) => load.credit(adminToken, [student.id], 1)),
    );
    await sleep(2_000);
    api.kill('SIGKILL');
    await started.exited;
    load.stop();
    await running;

    const approved = load.approvedAllotments;
    expect(approved.length).toBeGreaterThan(0);
    const { rows: present } = await database.sql(
      `SELECT id FROM token_allotment_requests WHERE id = ANY($1::uuid[]) AND status = 'approved'`,
      [approved],
    );
    expect(present.length).toBe(approved.length);
    // Each wallet holds exactly its approved allotments (its only ledger rows): no credit
    // half-applied, none twice.
    expect(await allotmentViolations(database)).toEqual([]);
    expect(await ledgerViolations(database)).toEqual([]);
    console.log(
      `SIGKILL under load: ${load.answers.length} requests, ${approved.length} credits acknowledged, ` +
        `${present.length} present and approved; wallets equal their ledgers`,
    );
  }, 120_000);
});
