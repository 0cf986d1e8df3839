import type { SqlClient } from '../import-phase.js';
import { normalisedCourseCode, suffixedCourseCode } from './course-code.js';
import { plannedPhase, stagedPage, wallClock } from './planned-phase.js';

/** Gives up on a code after this many suffixes (only a target full of look-alike codes gets here). */
const MAX_SUFFIX_TRIES = 1000;

const INSERT_PLANNED = `
  INSERT INTO courses (id, code, title, description, price, created_at, updated_at)
  SELECT id, code, title, description, price, created_at, created_at FROM legacy_plan
   WHERE $1::uuid IS NULL OR id = $1::uuid
   ORDER BY id
  ON CONFLICT DO NOTHING`;

/**
 * Codes are normalised to the native rule. Courses whose codes normalise alike are ranked by
 * (createdAt, id) over the whole staged table, so the result does not depend on batch boundaries:
 * the first keeps the code, the n-th gets '-n'. A code still taken (by a course already in the
 * target, or a legacy code that was literally 'X-2') moves on to the next free suffix.
 */
async function insertCourses(client: SqlClient): Promise<void> {
  await client.query(INSERT_PLANNED, [null]);
  const { rows } = await client.query<{ id: string; rank: string }>(
    `SELECT p.id, p.rank FROM legacy_plan p
      WHERE NOT EXISTS (SELECT 1 FROM courses c WHERE c.id = p.id) ORDER BY p.id`,
  );
  for (const row of rows) {
    let suffix = Number(row.rank) + 1;
    for (let tries = 0; ; tries += 1, suffix += 1) {
      if (tries === MAX_SUFFIX_TRIES)
        throw new Error(`course ${row.id}: no free code after ${MAX_SUFFIX_TRIES} suffixes`);
      await client.query(
        `UPDATE legacy_plan SET code = ${suffixedCourseCode('base', '$2::int')} WHERE id = $1`,
        [row.id, suffix],
      );
      const inserted = await client.query(INSERT_PLANNED, [row.id]);
      if (inserted.rowCount) break;
    }
  }
}

/** Courses: code rule, title within 200 characters (empty → 'Untitled course'), price >= 0. */
export const coursesPhase = plannedPhase({
  name: 'courses',
  plan: `
    WITH ranked AS (
      SELECT o.id, row_number() OVER (PARTITION BY ${normalisedCourseCode('o.code')}
                                      ORDER BY o."createdAt", o.id) AS rank
        FROM legacy_import.courses o)
    SELECT s.id, s.code AS legacy_code, s.title AS legacy_title, s.price AS legacy_price,
           b.base, r.rank,
           CASE WHEN r.rank = 1 THEN b.base ELSE ${suffixedCourseCode('b.base', 'r.rank')} END AS code,
           left(coalesce(nullif(btrim(s.title), ''), 'Untitled course'), 200) AS title,
           s.description, greatest(s.price, 0)::numeric(12,2) AS price,
           ${wallClock('s."createdAt"')} AS created_at
      FROM ${stagedPage('courses')} AS s
      JOIN ranked r ON r.id = s.id
     CROSS JOIN LATERAL (SELECT ${normalisedCourseCode('s.code')} AS base) AS b`,
  writes: insertCourses,
  report: `
    SELECT p.id,
           CASE WHEN c.id IS NULL THEN 'skipped'
                WHEN c.code IS DISTINCT FROM p.legacy_code OR c.title IS DISTINCT FROM p.legacy_title
                  OR p.legacy_price < 0 THEN 'changed' END AS outcome,
           CASE WHEN c.id IS NULL THEN 'refused by the target database'
             ELSE concat_ws('; ',
               CASE WHEN c.code = p.base AND c.code IS DISTINCT FROM p.legacy_code
                    THEN format('code %L normalised to %L', p.legacy_code, c.code) END,
               CASE WHEN c.code <> p.base
                    THEN format('code %L normalises to %L, which another course holds; stored as %L',
                                p.legacy_code, p.base, c.code) END,
               CASE WHEN c.title IS DISTINCT FROM p.legacy_title
                    THEN format('title %L stored as %L', p.legacy_title, c.title) END,
               CASE WHEN p.legacy_price < 0
                    THEN format('negative price %s stored as 0.00', p.legacy_price) END) END AS reason
      FROM legacy_plan p LEFT JOIN courses c ON c.id = p.id`,
});
