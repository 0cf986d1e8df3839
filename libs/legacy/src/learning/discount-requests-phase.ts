import { LEGACY_IDS_OF_APPLICATION } from './application-map.js';
import { plannedPhase, stagedPage, wallClock } from './planned-phase.js';

/**
 * Discount requests. The application goes through application_map (a merged application's
 * requests follow the kept one). requested_by is NOT NULL natively: a missing or unknown requester
 * becomes the application's student. decided_by is the reviewer through user_map; decided_at is
 * updatedAt for a decided request. The legacy batchId is dropped: natively the batch is the
 * application's. Natively one request per application may be pending: the newest pending one
 * (createdAt, id) stays pending, each older one is stored rejected with a decision note, decided
 * when the newer one was made.
 */
export const discountRequestsPhase = plannedPhase({
  name: 'discount_requests',
  plan: `
    SELECT x.*,
           CASE WHEN x.superseded_by IS NOT NULL THEN 'rejected' ELSE x.legacy_status END::discount_status AS status,
           CASE WHEN x.superseded_by IS NOT NULL THEN x.superseded_at
                WHEN x.legacy_status <> 'pending' THEN x.legacy_updated_at END AS decided_at,
           CASE WHEN x.superseded_by IS NOT NULL
                THEN format('Superseded by the newer pending request %s (one pending request per application)',
                            x.superseded_by) END AS decision_note
      FROM (
        SELECT s.id, s."applicationId" AS legacy_application_id, m.application_id, a.user_id AS student_id,
               s."batchId" AS legacy_batch_id, a.batch_id,
               s."requestedById" AS legacy_requested_by_id, coalesce(rq.user_id, a.user_id) AS requested_by_id,
               rq.user_id IS NULL AS requester_filled,
               s."reviewedById" AS legacy_reviewed_by_id, rv.user_id AS decided_by_id,
               s."requestedPrice" AS requested_price, s."approvedPrice" AS approved_price,
               s.status AS legacy_status, s.note,
               ${wallClock('s."createdAt"')} AS created_at, ${wallClock('s."updatedAt"')} AS legacy_updated_at,
               CASE WHEN newest.id <> s.id THEN newest.id END AS superseded_by,
               ${wallClock('newest."createdAt"')} AS superseded_at
          FROM ${stagedPage('discount_requests')} AS s
          LEFT JOIN legacy_import.application_map m ON m.legacy_id = s."applicationId"
          LEFT JOIN applications a ON a.id = m.application_id
          LEFT JOIN legacy_import.user_map rq ON rq.legacy_id = s."requestedById"
          LEFT JOIN legacy_import.user_map rv ON rv.legacy_id = s."reviewedById"
          LEFT JOIN LATERAL (
            SELECT o.id, o."createdAt" FROM legacy_import.discount_requests o
             WHERE s.status = 'pending' AND o.status = 'pending'
               AND o."applicationId" = ANY (${LEGACY_IDS_OF_APPLICATION})
             ORDER BY o."createdAt" DESC, o.id DESC LIMIT 1) AS newest ON true) AS x`,
  writes: [
    `INSERT INTO discount_requests (id, application_id, requested_price, approved_price, status, note,
                                    requested_by_id, decided_by_id, decided_at, decision_note,
                                    created_at, updated_at)
     SELECT id, application_id, requested_price, approved_price, status, note, requested_by_id,
            decided_by_id, decided_at, decision_note, created_at, legacy_updated_at
       FROM legacy_plan WHERE student_id IS NOT NULL ORDER BY id
     ON CONFLICT DO NOTHING`,
  ],
  report: `
    SELECT p.id,
           CASE WHEN d.id IS NULL THEN 'skipped'
                WHEN p.superseded_by IS NOT NULL OR p.application_id <> p.legacy_application_id
                  OR p.requester_filled
                  OR (p.legacy_reviewed_by_id IS NOT NULL AND p.decided_by_id IS NULL)
                  OR p.legacy_batch_id <> p.batch_id THEN 'changed' END AS outcome,
           CASE WHEN p.student_id IS NULL
                  THEN format('its application %s was not imported', p.legacy_application_id)
                WHEN d.id IS NULL
                  THEN format('refused by the target database (application %s already has a pending request)',
                              p.application_id)
             ELSE concat_ws('; ',
               CASE WHEN p.superseded_by IS NOT NULL
                    THEN format('a second pending request for application %s; stored rejected, superseded by the newer pending request %s',
                                p.application_id, p.superseded_by) END,
               CASE WHEN p.application_id <> p.legacy_application_id
                    THEN format('its application %s was merged into %s; the request follows it',
                                p.legacy_application_id, p.application_id) END,
               CASE WHEN p.requester_filled AND p.legacy_requested_by_id IS NULL
                    THEN format('no requester; set to the application''s student %s', p.student_id)
                    WHEN p.requester_filled
                    THEN format('requester %s was not imported; set to the application''s student %s',
                                p.legacy_requested_by_id, p.student_id) END,
               CASE WHEN p.legacy_reviewed_by_id IS NOT NULL AND p.decided_by_id IS NULL
                    THEN format('reviewer %s was not imported; decided_by left empty', p.legacy_reviewed_by_id) END,
               CASE WHEN p.legacy_batch_id <> p.batch_id
                    THEN format('its batchId %s differed from its application''s batch %s, which applies',
                                p.legacy_batch_id, p.batch_id) END) END AS reason
      FROM legacy_plan p LEFT JOIN discount_requests d ON d.id = p.id`,
});
