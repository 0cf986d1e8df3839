import { plannedPhase, stagedPage, wallClock } from '../learning/planned-phase.js';
import { cleanEmail, cleanPlatform, cleanSource, emailKey } from './lead-values.js';

/**
 * Natively (source, email) is unique (email case-insensitive): a lead with the source and e-mail of
 * an earlier one (createdAt, id) — or of a lead already in the target — is merged into it. The
 * merged lead's own user and owner links are not carried over (the report says so).
 */
const DUPLICATE_OF = `
  SELECT o.id FROM legacy_import.leads o
   WHERE lower(btrim(o.email)) = ${emailKey('s.email')} AND ${cleanSource('o.source')} = v.source
   ORDER BY o."createdAt", o.id LIMIT 1`;

/**
 * Natively a user has at most one lead: the user keeps the link on their earliest lead (createdAt,
 * id) that is not merged away; their other leads are imported without a user link.
 */
const USER_LINK_HOLDER = `
  SELECT o.id FROM legacy_import.user_map ou
    JOIN legacy_import.leads o ON o."userId" = ou.legacy_id
   WHERE ou.user_id = u.user_id
     AND NOT EXISTS (
       SELECT 1 FROM legacy_import.leads d
        WHERE lower(btrim(d.email)) = ${emailKey('o.email')}
          AND ${cleanSource('d.source')} = ${cleanSource('o.source')}
          AND (d."createdAt", d.id) < (o."createdAt", o.id))
   ORDER BY o."createdAt", o.id LIMIT 1`;

/**
 * Leads (mas_crm.leads). Status upper → lower case (same names); full name trimmed within 200
 * (empty → 'Unknown'); phone trimmed within 40, source cleaned within 60, platform cleaned within
 * 40; owner and user through user_map. application_id stays null: the legacy lead has no link to
 * an application, and guessing one from the user is not safe.
 */
export const leadsPhase = plannedPhase({
  name: 'leads',
  plan: `
    SELECT s.id, s."fullName" AS legacy_full_name, v.full_name, s.email AS legacy_email, v.email,
           s.phone AS legacy_phone, v.phone, s.source AS legacy_source, v.source,
           s.platform AS legacy_platform, v.platform, lower(s.status)::mas_crm.lead_status AS status,
           s."ownerId" AS legacy_owner_id, ow.user_id AS owner_id, s."userId" AS legacy_user_id,
           u.user_id AS mapped_user_id,
           CASE WHEN holder.id = s.id AND native_holder.id IS NULL THEN u.user_id END AS user_id,
           coalesce(existing.id, nullif(duplicate.id, s.id)) AS merged_into,
           ${wallClock('s."createdAt"')} AS created_at, ${wallClock('s."updatedAt"')} AS updated_at
      FROM ${stagedPage('leads')} AS s
     CROSS JOIN LATERAL (
       SELECT left(coalesce(nullif(btrim(s."fullName"), ''), 'Unknown'), 200) AS full_name,
              ${cleanEmail('s.email')} AS email,
              left(nullif(btrim(s.phone), ''), 40) AS phone,
              ${cleanSource('s.source')} AS source,
              ${cleanPlatform('s.platform')} AS platform) AS v
      LEFT JOIN legacy_import.user_map ow ON ow.legacy_id = s."ownerId"
      LEFT JOIN legacy_import.user_map u ON u.legacy_id = s."userId"
      LEFT JOIN LATERAL (${DUPLICATE_OF}) AS duplicate ON true
      LEFT JOIN LATERAL (
        SELECT e.id FROM mas_crm.leads e
         WHERE e.source = v.source AND e.email = v.email::citext AND e.id <> s.id LIMIT 1) AS existing ON true
      LEFT JOIN LATERAL (${USER_LINK_HOLDER}) AS holder ON true
      LEFT JOIN mas_crm.leads native_holder
        ON native_holder.user_id = u.user_id AND native_holder.id <> s.id`,
  writes: [
    `INSERT INTO mas_crm.leads (id, full_name, email, phone, source, status, platform, user_id,
                                owner_id, created_at, updated_at)
     SELECT id, full_name, email, phone, source, status, platform, user_id, owner_id, created_at,
            updated_at
       FROM legacy_plan WHERE merged_into IS NULL ORDER BY id
     ON CONFLICT DO NOTHING`,
  ],
  report: `
    SELECT p.id,
           CASE WHEN p.merged_into IS NOT NULL THEN 'merged'
                WHEN l.id IS NULL THEN 'skipped'
                WHEN p.full_name IS DISTINCT FROM p.legacy_full_name OR p.email IS DISTINCT FROM p.legacy_email
                  OR p.phone IS DISTINCT FROM p.legacy_phone OR p.source IS DISTINCT FROM p.legacy_source
                  OR p.platform IS DISTINCT FROM p.legacy_platform
                  OR (p.legacy_owner_id IS NOT NULL AND p.owner_id IS NULL)
                  OR (p.legacy_user_id IS NOT NULL AND p.user_id IS NULL)
                  OR p.owner_id <> p.legacy_owner_id OR p.user_id <> p.legacy_user_id THEN 'changed' END AS outcome,
           CASE WHEN p.merged_into IS NOT NULL
                  THEN concat(format('same source %L and e-mail %L (case-insensitive) as lead %s, which comes first; merged into it',
                                     p.source, p.email, p.merged_into),
                              CASE WHEN p.mapped_user_id IS NOT NULL
                                   THEN format('; its link to user %s is not carried over', p.mapped_user_id) END,
                              CASE WHEN p.owner_id IS NOT NULL
                                   THEN format('; its owner %s is not carried over', p.owner_id) END)
                WHEN l.id IS NULL THEN 'refused by the target database'
             ELSE concat_ws('; ',
               CASE WHEN p.full_name IS DISTINCT FROM p.legacy_full_name
                    THEN format('full name %L stored as %L', p.legacy_full_name, p.full_name) END,
               CASE WHEN p.email IS DISTINCT FROM p.legacy_email
                    THEN format('e-mail %L stored as %L', p.legacy_email, p.email) END,
               CASE WHEN p.phone IS DISTINCT FROM p.legacy_phone
                    THEN format('phone %L stored as %L', p.legacy_phone, p.phone) END,
               CASE WHEN p.source IS DISTINCT FROM p.legacy_source
                    THEN format('source %L stored as %L', p.legacy_source, p.source) END,
               CASE WHEN p.platform IS DISTINCT FROM p.legacy_platform
                    THEN format('platform %L stored as %L', p.legacy_platform, p.platform) END,
               CASE WHEN p.legacy_owner_id IS NOT NULL AND p.owner_id IS NULL
                    THEN format('owner %s was not imported; left empty', p.legacy_owner_id)
                    WHEN p.owner_id <> p.legacy_owner_id
                    THEN format('owner %s was merged into user %s, who owns it now', p.legacy_owner_id, p.owner_id) END,
               CASE WHEN p.user_id <> p.legacy_user_id
                    THEN format('user %s was merged into user %s; the link moves there', p.legacy_user_id, p.user_id) END,
               CASE WHEN p.legacy_user_id IS NOT NULL AND p.mapped_user_id IS NULL
                    THEN format('user %s was not imported; link left empty', p.legacy_user_id)
                    WHEN p.legacy_user_id IS NOT NULL AND p.user_id IS NULL
                    THEN format('user %s already has an earlier lead (one lead per user); imported without the user link',
                                p.mapped_user_id) END) END AS reason
      FROM legacy_plan p LEFT JOIN mas_crm.leads l ON l.id = p.id`,
});
