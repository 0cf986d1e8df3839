import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { ownTransactions } from '../run/batch-transactions.js';
import { runSteps, type StepProgress } from '../run/run-steps.js';
import { copyTableStep } from './copy-table-step.js';

const SCHEMA = new URL('../../sql/legacy-schema.sql', import.meta.url);
const quiet: StepProgress = {
  start: () => undefined,
  update: () => undefined,
  finish: () => undefined,
};
/** Text COPY has to escape, and text it must not touch. */
const AWKWARD_NAMES = [
  'tab\there',
  'new\nline',
  'back\\slash \\N',
  'quote \' "',
  'ünï©ødé 🙂',
  '',
  null,
];
const USERS = 25;

describe('legacy import: the verbatim copy into staging', () => {
  let legacy: TestDatabase;
  let target: TestDatabase;
  let source: pg.Client;
  let client: pg.Client;

  beforeAll(async () => {
    [legacy, target] = await Promise.all([
      createTestDatabase({ migrated: false }),
      createTestDatabase({ migrated: true }),
    ]);
    await legacy.sql(await readFile(SCHEMA, 'utf8'));
    await legacy.sql(
      `INSERT INTO users (email, password, "fullName", role, "createdAt")
       SELECT 'user' || g || '@example.com', 'x', ($1::text[])[g % $2 + 1], 'student',
              timestamp '2021-03-04 05:06:07.123456' + g * interval '1 day'
         FROM generate_series(1, $3::int) g`,
      [AWKWARD_NAMES, AWKWARD_NAMES.length, USERS],
    );
    source = new pg.Client({ connectionString: legacy.url });
    client = new pg.Client({ connectionString: target.url });
    await Promise.all([source.connect(), client.connect()]);
    // A source whose sessions print dates the other way round: the copy must not depend on it.
    await source.query(`SET DateStyle = 'SQL, DMY'`);
  });

  afterAll(async () => {
    await Promise.all([source?.end(), client?.end()]);
    await Promise.all([legacy?.drop(), target?.drop()]);
  });

  const usersAsText = async (db: TestDatabase, table: string) =>
    (
      await db.sql(
        `SELECT id::text, email, password, "fullName", role::text, "createdAt"::text
           FROM ${table} ORDER BY id`,
      )
    ).rows;

  it('copies every row in ranges of ten times the batch size, every value exactly as it was', async () => {
    const step = copyTableStep(source, {
      name: 'users',
      source: { schema: 'public', table: 'users' },
    });
    await runSteps(
      client,
      [step],
      { timezone: 'UTC', batchSize: 1 },
      ownTransactions(client),
      quiet,
    );

    expect(await usersAsText(target, 'legacy_import.users')).toEqual(
      await usersAsText(legacy, 'public.users'),
    );
    const { rows } = await target.sql(
      `SELECT units_done::int AS units, done FROM legacy_import.checkpoints WHERE step = 'copy:users'`,
    );
    expect(rows).toEqual([{ units: USERS, done: true }]);
    // 25 rows in ranges of 10: three batches, then the empty one that ends the step.
    const { rows: staged } = await target.sql(
      `SELECT count(*)::int AS n, count(DISTINCT xmin::text)::int AS transactions FROM legacy_import.users`,
    );
    expect(staged).toEqual([{ n: USERS, transactions: 3 }]);
  });
});
