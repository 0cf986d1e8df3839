import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import type { ImportPhase } from '../import-phase.js';
import { reportOutcomes } from '../report-outcomes.js';
import { buildImportReport } from '../report/import-report.js';
import { formatReport } from '../report/format-report.js';
import { writeReportJson } from '../report/write-report-json.js';
import { ownTransactions } from './batch-transactions.js';
import { runSteps, type StepProgress } from './run-steps.js';

const context = { timezone: 'UTC', batchSize: 2 };
const ids = ['1', '2', '3', '4', '5'].map((n) => `00000000-0000-4000-8000-00000000000${n}`);

/** A stand-in phase: staged colleges → native colleges, a missing city reported as changed. */
function collegesPhase(calls: (string | null)[], failOnBatch = 0): ImportPhase {
  return {
    name: 'test_colleges',
    total: async (client) =>
      (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM legacy_import.colleges'))
        .rows[0].n,
    runBatch: async (client, afterKey, { batchSize }) => {
      calls.push(afterKey);
      const { rows } = await client.query<{ id: string; city: string | null }>(
        `SELECT id, city FROM legacy_import.colleges WHERE $1::uuid IS NULL OR id > $1::uuid
          ORDER BY id LIMIT $2`,
        [afterKey, batchSize],
      );
      await client.query(
        `INSERT INTO public.colleges (id, name, city, state)
         SELECT id, name, coalesce(city, 'Unknown'), coalesce(state, 'Unknown')
           FROM legacy_import.colleges WHERE id = ANY($1::uuid[]) ON CONFLICT DO NOTHING`,
        [rows.map((row) => row.id)],
      );
      await reportOutcomes(
        client,
        rows
          .filter((row) => row.city === null)
          .map((row) => ({
            table: 'colleges',
            legacyId: row.id,
            outcome: 'changed' as const,
            reason: 'no city; stored as Unknown',
          })),
      );
      if (calls.length === failOnBatch) throw new Error('crash after the batch wrote');
      return { lastKey: rows.at(-1)?.id ?? afterKey, units: rows.length };
    },
  };
}

const quiet: StepProgress = {
  start: () => undefined,
  update: () => undefined,
  finish: () => undefined,
};

describe('legacy import runner', () => {
  let database: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    client = await database.session();
    await database.sql(
      `INSERT INTO legacy_import.colleges (id, name, city, state)
       SELECT id, 'College ' || n, CASE WHEN n % 2 = 0 THEN NULL ELSE 'Pune' END, 'MH'
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [ids],
    );
  });

  afterAll(async () => {
    await database?.drop();
  });

  const run = (phase: ImportPhase) =>
    runSteps(client, [phase], context, ownTransactions(client), quiet);
  const native = async () =>
    (await database.sql('SELECT id::text FROM public.colleges ORDER BY id')).rows.map((r) => r.id);
  const checkpoint = async () =>
    (
      await database.sql(
        `SELECT last_key, units_done::int AS units, done FROM legacy_import.checkpoints
          WHERE step = 'test_colleges'`,
      )
    ).rows[0];

  it('a batch that fails leaves nothing of itself; the next run resumes after the last committed batch', async () => {
    const crashed: (string | null)[] = [];
    await expect(run(collegesPhase(crashed, 2))).rejects.toThrow('crash after the batch wrote');
    expect(crashed).toEqual([null, ids[1]]);
    expect(await native()).toEqual(ids.slice(0, 2));
    expect(await checkpoint()).toEqual({ last_key: ids[1], units: 2, done: false });

    const resumed: (string | null)[] = [];
    await run(collegesPhase(resumed));
    expect(resumed).toEqual([ids[1], ids[3], ids[4]]);
    expect(await native()).toEqual(ids);
    expect(await checkpoint()).toEqual({ last_key: ids[4], units: 5, done: true });
  });

  it('skips a finished step, and the report counts staged, imported and reported rows', async () => {
    const calls: (string | null)[] = [];
    await run(collegesPhase(calls));
    expect(calls).toEqual([]);

    const report = await buildImportReport(client, { dryRun: false, timezone: 'UTC' });
    expect(report.tables.find((table) => table.table === 'colleges')).toEqual({
      table: 'colleges',
      legacyRows: 5,
      imported: 5,
      merged: 0,
      changed: 2,
      skipped: 0,
      examples: [ids[1], ids[3]].map((legacyId) => ({
        legacyId,
        outcome: 'changed',
        reason: 'no city; stored as Unknown',
      })),
    });
    expect(formatReport(report)).toContain(`  changed ${ids[1]}: no city; stored as Unknown`);
    expect(formatReport(report)).toMatch(/\ncolleges +5 +5 +0 +2 +0\n/);

    const dir = await mkdtemp(join(tmpdir(), 'legacy-report-'));
    try {
      await writeReportJson(client, report, join(dir, 'report.json'));
      const written = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as {
        tables: { table: string; rows: unknown[] }[];
        money: unknown;
      };
      expect(written.money).toEqual(report.money);
      expect(written.tables.map((table) => table.table)).toEqual(
        report.tables.map((table) => table.table),
      );
      expect(written.tables.find((table) => table.table === 'colleges')).toEqual({
        table: 'colleges',
        legacyRows: 5,
        imported: 5,
        merged: 0,
        changed: 2,
        skipped: 0,
        rows: [ids[1], ids[3]].map((legacyId) => ({
          legacyId,
          outcome: 'changed',
          reason: 'no city; stored as Unknown',
        })),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
