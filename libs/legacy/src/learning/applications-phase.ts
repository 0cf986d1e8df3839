import { plannedPhase, stagedPage, wallClock } from './planned-phase.js';

/**
 * How far an application got, for choosing which duplicate to keep: the one that carries a seat
 * or money (enrolled, accepted) beats one still in review, which beats a closed one.
 */
const PROGRESS = `CASE o.status WHEN 'enrolled' THEN 6 WHEN 'accepted' THEN 5 WHEN 'under_review' THEN 4
                  WHEN 'submitted' THEN 3 WHEN 'rejected' THEN 2 ELSE 1 END`;

/**
 * Applications. The student goes through user_map (a merged account's applications move to the
 * surviving user), the college through college_map. Natively (user_id, batch_id) is unique: of a
 * student's applications to one batch (after user merges) the most advanced is kept (then the
 * earliest by createdAt, id), the others are merged into it and `application_map` sends them there,
 * so their discount requests and PAP workflow follow. A missing finalAmount (NOT NULL natively)
 * becomes the batch's price. Status names are the same; extraData is kept as is.
 */
export const applicationsPhase = plannedPhase({
  name: 'applications',
  plan: `
    SELECT s.id, s."userId" AS legacy_user_id, u.user_id, s."batchId" AS batch_id,
           b.id IS NOT NULL AS batch_exists, s."collegeId" AS legacy_college_id, cm.college_id,
           s.status::application_status AS status,
           coalesce(s."finalAmount", b.price)::numeric(12,2) AS final_amount,
           s."finalAmount" IS NULL AS amount_filled, s."extraData" AS extra_data,
           ${wallClock('s."createdAt"')} AS created_at, ${wallClock('s."updatedAt"')} AS updated_at,
           CASE WHEN b.id IS NOT NULL THEN keeper.id END AS keeper_id
      FROM ${stagedPage('applications')} AS s
      LEFT JOIN legacy_import.user_map u ON u.legacy_id = s."userId"
      LEFT JOIN batches b ON b.id = s."batchId"
      LEFT JOIN legacy_import.college_map cm ON cm.legacy_id = s."collegeId"
      LEFT JOIN LATERAL (
        SELECT o.id FROM legacy_import.applications o
          JOIN legacy_import.user_map ou ON ou.legacy_id = o."userId"
         WHERE o."batchId" = s."batchId" AND ou.user_id = u.user_id
         ORDER BY ${PROGRESS} DESC, o."createdAt", o.id LIMIT 1) AS keeper ON true`,
  writes: [
    `INSERT INTO applications (id, user_id, batch_id, college_id, status, final_amount, extra_data,
                               created_at, updated_at)
     SELECT id, user_id, batch_id, college_id, status, final_amount, extra_data, created_at, updated_at
       FROM legacy_plan WHERE keeper_id = id ORDER BY id
     ON CONFLICT DO NOTHING`,
    // A duplicate may come before its keeper (ids are random): it then maps to the keeper's id,
    // which the keeper's own batch inserts later in this phase.
    `INSERT INTO legacy_import.application_map (legacy_id, application_id)
     SELECT p.id, coalesce(a.id, p.keeper_id)
       FROM legacy_plan p
       LEFT JOIN applications a ON a.user_id = p.user_id AND a.batch_id = p.batch_id
      WHERE p.keeper_id IS NOT NULL
     ON CONFLICT (legacy_id) DO NOTHING`,
  ],
  report: `
    SELECT p.id,
           CASE WHEN m.application_id IS NULL THEN 'skipped'
                WHEN m.application_id <> p.id THEN 'merged'
                WHEN p.amount_filled OR (p.legacy_college_id IS NOT NULL AND p.college_id IS NULL)
                  OR p.user_id <> p.legacy_user_id THEN 'changed' END AS outcome,
           CASE WHEN p.user_id IS NULL
                  THEN format('its student %s was not imported', p.legacy_user_id)
                WHEN NOT p.batch_exists THEN format('its batch %s was not imported', p.batch_id)
                WHEN m.application_id IS NULL THEN 'refused by the target database'
                WHEN m.application_id <> p.id
                  THEN format('another application of user %s to batch %s; merged into application %s (%s)',
                              p.user_id, p.batch_id, m.application_id,
                              'kept: the most advanced status, then the earliest')
             ELSE concat_ws('; ',
               CASE WHEN p.user_id <> p.legacy_user_id
                    THEN format('its student %s was merged into user %s; the application moves there',
                                p.legacy_user_id, p.user_id) END,
               CASE WHEN p.amount_filled
                    THEN format('no final amount; set to the batch price %s', p.final_amount) END,
               CASE WHEN p.legacy_college_id IS NOT NULL AND p.college_id IS NULL
                    THEN format('its college %s does not exist; left empty', p.legacy_college_id) END)
           END AS reason
      FROM legacy_plan p LEFT JOIN legacy_import.application_map m ON m.legacy_id = p.id`,
});
