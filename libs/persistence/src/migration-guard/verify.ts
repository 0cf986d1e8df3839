import type pg from 'pg';
import { ensureExtensionsAndSchemas } from '../bootstrap/schema-bootstrap.js';
import type { ExtractedMigration } from './extract-sql.js';
import type { LocatedHit } from './finding.js';
import { parseSql } from './parse-sql.js';
import { fillEmptyTables } from './verify-fill.js';
import { judgeStatement } from './verify-judge.js';
import { MigrationObserver } from './verify-observe.js';
import { createScratchDatabase } from './verify-scratch.js';

export interface MigrationToVerify {
  file: string;
  extracted: ExtractedMigration;
}

export interface VerifyResult {
  /** Dynamic findings by file, located on the queryRunner call of the statement. */
  hits: Map<string, LocatedHit[]>;
  /** Tables that could not be filled, SQL that could not be run: context, not failures. */
  notes: string[];
}

/**
 * Builds one scratch database and applies the migrations in order; before each, fills the empty
 * tables, then runs its up() statements one at a time in one transaction (as TypeORM would),
 * judging what each did, and commits (observing only reads, so the commit applies the migration
 * exactly as the runner would); a `transaction = false` migration's statements each commit on
 * their own, as they do under the runner. Stops at the first migration that fails. Requires
 * loadSqlParser().
 */
export async function verifyMigrations(
  migrations: MigrationToVerify[],
  serverUrl: string,
): Promise<VerifyResult> {
  const result: VerifyResult = { hits: new Map(), notes: [] };
  const scratch = await createScratchDatabase(serverUrl);
  const triedTables = new Set<string>();
  try {
    await ensureExtensionsAndSchemas(scratch.client);
    for (const migration of migrations) {
      const notes = await fillEmptyTables(scratch.client, triedTables);
      result.notes.push(...notes.map((note) => `${migration.file}: before it, ${note}`));
      const probe = migration.extracted.transactional ? undefined : await scratch.secondSession();
      const hits = await verifyOne(scratch.client, migration, result.notes, probe);
      result.hits.set(migration.file, hits);
      if (hits.some((hit) => hit.rule === 'dynamic-failed')) {
        result.notes.push(`${migration.file}: failed, so later migrations were not verified`);
        break;
      }
    }
  } finally {
    await scratch.drop();
  }
  return result;
}

/** `probe`: a second session, for a migration with `transaction = false` (see runAlone). */
async function verifyOne(
  client: pg.Client,
  migration: MigrationToVerify,
  notes: string[],
  probe?: pg.Client,
): Promise<LocatedHit[]> {
  const { extracted, file } = migration;
  if (extracted.hits.some((hit) => hit.phase === 'up')) {
    notes.push(`${file}: up() runs SQL the guard cannot read; only its literal SQL was verified`);
  }
  const hits: LocatedHit[] = [];
  if (extracted.transactional) await client.query('BEGIN');
  const observer = await MigrationObserver.start(client);
  for (const call of extracted.queries.up) {
    const parsed = parseSql(call.sql);
    const statements = parsed.ok
      ? parsed.statements.map((statement) => statement.text)
      : [call.sql];
    for (const sql of statements) {
      const observation = probe ? await observer.runAlone(sql, probe) : await observer.run(sql);
      const judged = judgeStatement(observation);
      hits.push(...judged.map((hit) => ({ ...hit, line: call.line, phase: 'up' as const, sql })));
      if (judged.some((hit) => hit.rule === 'dynamic-failed')) {
        if (extracted.transactional) await client.query('ROLLBACK');
        return hits;
      }
    }
  }
  if (extracted.transactional) await client.query('COMMIT');
  return hits;
}
