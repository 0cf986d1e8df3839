import { plannedPhase, stagedPage, wallClock } from './planned-phase.js';

/**
 * Batches: starts_on from startDate, name trimmed within 150 characters (empty → 'Unnamed batch'),
 * price >= 0. Natively capacity > 0: a legacy capacity of 0 or less becomes the number of legacy
 * applications to the batch (at least 1), so the batch holds who applied and opens no new seats.
 */
export const batchesPhase = plannedPhase({
  name: 'batches',
  plan: `
    SELECT s.id, s."courseId" AS course_id, c.id IS NOT NULL AS course_exists,
           s.name AS legacy_name, v.name, s."startDate" AS starts_on,
           s.capacity AS legacy_capacity, v.capacity,
           s.price AS legacy_price, greatest(s.price, 0)::numeric(12,2) AS price,
           ${wallClock('s."createdAt"')} AS created_at
      FROM ${stagedPage('batches')} AS s
      LEFT JOIN courses c ON c.id = s."courseId"
     CROSS JOIN LATERAL (
       SELECT left(coalesce(nullif(btrim(s.name), ''), 'Unnamed batch'), 150) AS name,
              CASE WHEN s.capacity > 0 THEN s.capacity
                   ELSE greatest(1, (SELECT count(*)::int FROM legacy_import.applications a
                                      WHERE a."batchId" = s.id)) END AS capacity) AS v`,
  writes: [
    `INSERT INTO batches (id, course_id, name, starts_on, capacity, price, created_at, updated_at)
     SELECT id, course_id, name, starts_on, capacity, price, created_at, created_at
       FROM legacy_plan WHERE course_exists ORDER BY id
     ON CONFLICT DO NOTHING`,
  ],
  report: `
    SELECT p.id,
           CASE WHEN b.id IS NULL THEN 'skipped'
                WHEN p.name IS DISTINCT FROM p.legacy_name OR p.capacity <> p.legacy_capacity
                  OR p.legacy_price < 0 THEN 'changed' END AS outcome,
           CASE WHEN NOT p.course_exists THEN format('its course %s was not imported', p.course_id)
                WHEN b.id IS NULL THEN 'refused by the target database'
             ELSE concat_ws('; ',
               CASE WHEN p.name IS DISTINCT FROM p.legacy_name
                    THEN format('name %L stored as %L', p.legacy_name, p.name) END,
               CASE WHEN p.capacity <> p.legacy_capacity
                    THEN format('capacity %s stored as %s (its number of legacy applications, at least 1)',
                                p.legacy_capacity, p.capacity) END,
               CASE WHEN p.legacy_price < 0
                    THEN format('negative price %s stored as 0.00', p.legacy_price) END) END AS reason
      FROM legacy_plan p LEFT JOIN batches b ON b.id = p.id`,
});
