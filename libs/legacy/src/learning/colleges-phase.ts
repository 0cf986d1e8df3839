import { plannedPhase, stagedPage } from './planned-phase.js';

/**
 * Colleges. Names are trimmed; a missing city or state (NOT NULL natively) becomes 'Unknown'.
 * Natively (name, city) is unique: a legacy college with the name and city of one already imported
 * (the lowest id comes first, or a college already in the target) is merged into it, and
 * `college_map` sends its id there so applications follow. Legacy colleges have no timestamps:
 * created_at / updated_at are the Unix epoch, a fixed value so that a resumed import ends equal to an
 * uninterrupted one (the API never shows it; it only orders pages).
 */
const NO_TIMESTAMP = `'1970-01-01T00:00:00Z'::timestamptz`;

export const collegesPhase = plannedPhase({
  name: 'colleges',
  plan: `
    SELECT s.id, v.name, v.city, v.state,
           nullif(concat_ws('; ',
             CASE WHEN v.name IS DISTINCT FROM s.name THEN format('name %L stored as %L', s.name, v.name) END,
             CASE WHEN v.city IS DISTINCT FROM s.city THEN format('city %L stored as %L', s.city, v.city) END,
             CASE WHEN v.state IS DISTINCT FROM s.state THEN format('state %L stored as %L', s.state, v.state) END
           ), '') AS changes
      FROM ${stagedPage('colleges')} AS s
     CROSS JOIN LATERAL (
       SELECT left(coalesce(nullif(btrim(s.name), ''), 'Unknown college'), 300) AS name,
              left(coalesce(nullif(btrim(s.city), ''), 'Unknown'), 100) AS city,
              left(coalesce(nullif(btrim(s.state), ''), 'Unknown'), 100) AS state) AS v`,
  writes: [
    `INSERT INTO colleges (id, name, city, state, created_at, updated_at)
     SELECT id, name, city, state, ${NO_TIMESTAMP}, ${NO_TIMESTAMP} FROM legacy_plan ORDER BY id
     ON CONFLICT DO NOTHING`,
    `INSERT INTO legacy_import.college_map (legacy_id, college_id)
     SELECT p.id, c.id FROM legacy_plan p JOIN colleges c ON c.name = p.name AND c.city = p.city
     ON CONFLICT (legacy_id) DO NOTHING`,
  ],
  report: `
    SELECT p.id,
           CASE WHEN m.college_id IS NULL THEN 'skipped'
                WHEN m.college_id <> p.id THEN 'merged'
                WHEN p.changes IS NOT NULL THEN 'changed' END AS outcome,
           CASE WHEN m.college_id IS NULL THEN 'refused by the target database'
                WHEN m.college_id <> p.id
                  THEN format('same name %L and city %L as college %s; merged into it', p.name, p.city, m.college_id)
                ELSE p.changes END AS reason
      FROM legacy_plan p LEFT JOIN legacy_import.college_map m ON m.legacy_id = p.id`,
});
