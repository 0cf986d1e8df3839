import { LEGACY_IDS_OF_APPLICATION } from './application-map.js';
import { plannedPhase, stagedPage, wallClock } from './planned-phase.js';

/**
 * MAS101 PAP workflows, one per application natively. The application goes through
 * application_map; when duplicate applications were merged and more than one had a workflow, the
 * kept application's own workflow stays (else the earliest by createdAt, id) and the others are
 * skipped, each reported. Workflows are plain rows here: no workflow engine run is started.
 */
export const papWorkflowsPhase = plannedPhase({
  name: 'mas101_pap_workflows',
  plan: `
    SELECT s.id, s."applicationId" AS legacy_application_id, m.application_id,
           a.id IS NOT NULL AS application_exists, s.status::pap_status AS status,
           ${wallClock('s."createdAt"')} AS created_at, ${wallClock('s."updatedAt"')} AS updated_at,
           keeper.id AS keeper_id
      FROM ${stagedPage('mas101_pap_workflows')} AS s
      LEFT JOIN legacy_import.application_map m ON m.legacy_id = s."applicationId"
      LEFT JOIN applications a ON a.id = m.application_id
      LEFT JOIN LATERAL (
        SELECT o.id FROM legacy_import.mas101_pap_workflows o
         WHERE o."applicationId" = ANY (${LEGACY_IDS_OF_APPLICATION})
         ORDER BY (o."applicationId" = m.application_id) DESC, o."createdAt", o.id LIMIT 1) AS keeper ON true`,
  writes: [
    `INSERT INTO mas101_pap_workflows (id, application_id, status, created_at, updated_at)
     SELECT id, application_id, status, created_at, updated_at
       FROM legacy_plan WHERE application_exists AND keeper_id = id ORDER BY id
     ON CONFLICT DO NOTHING`,
  ],
  report: `
    SELECT p.id,
           CASE WHEN w.id IS NULL THEN 'skipped'
                WHEN p.application_id <> p.legacy_application_id THEN 'changed' END AS outcome,
           CASE WHEN NOT p.application_exists
                  THEN format('its application %s was not imported', p.legacy_application_id)
                WHEN p.keeper_id <> p.id
                  THEN format('application %s (merged duplicates) already has PAP workflow %s; this one (status %s) is not imported',
                              p.application_id, p.keeper_id, p.status)
                WHEN w.id IS NULL
                  THEN format('refused by the target database (application %s already has a PAP workflow)', p.application_id)
                ELSE format('its application %s was merged into %s; the workflow follows it',
                            p.legacy_application_id, p.application_id) END AS reason
      FROM legacy_plan p LEFT JOIN mas101_pap_workflows w ON w.id = p.id`,
});
