import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * One-shot copy of the legacy `public.raw_leads` table (if this database has one) into
 * `mas_crm.leads`. Columns are read through to_jsonb so a legacy table missing some of them still
 * copies; a row already copied (same source, name, email and creation time) is skipped, so running
 * it again inserts nothing. The legacy table itself is left untouched.
 */
export class CopyLegacyRawLeads1795364145875 implements MigrationInterface {
  name = 'CopyLegacyRawLeads1795364145875';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // migration-guard allow dynamic-sql: raw_leads exists only in legacy databases, so the copy must be planned at run time
    await queryRunner.query(`DO $$
      BEGIN
        IF to_regclass('public.raw_leads') IS NULL THEN
          RETURN;
        END IF;
        EXECUTE $copy$
          INSERT INTO mas_crm.leads (full_name, email, phone, source, status, platform, created_at, updated_at)
          SELECT legacy.full_name, legacy.email, legacy.phone, legacy.source, legacy.status, legacy.platform,
                 legacy.created_at, legacy.created_at
            FROM (
              SELECT left(coalesce(nullif(trim(r->>'full_name'), ''), nullif(trim(r->>'name'), ''), 'Unknown'), 200) AS full_name,
                     nullif(lower(trim(r->>'email')), '')::citext AS email,
                     left(nullif(trim(r->>'phone'), ''), 40) AS phone,
                     left(coalesce(nullif(trim(r->>'source'), ''), 'legacy'), 60) AS source,
                     CASE WHEN r->>'status' IN ('active', 'contacted', 'qualified', 'converted', 'lost')
                          THEN (r->>'status')::mas_crm.lead_status ELSE 'active' END AS status,
                     left(nullif(trim(r->>'platform'), ''), 40) AS platform,
                     coalesce((r->>'created_at')::timestamptz, now()) AS created_at
                FROM (SELECT to_jsonb(raw) AS r FROM public.raw_leads raw) AS rows
            ) AS legacy
           WHERE NOT EXISTS (
             SELECT 1 FROM mas_crm.leads existing
              WHERE existing.source = legacy.source AND existing.full_name = legacy.full_name
                AND existing.email IS NOT DISTINCT FROM legacy.email AND existing.created_at = legacy.created_at)
          ON CONFLICT DO NOTHING
        $copy$;
      END $$`);
  }

  public async down(): Promise<void> {
    // Copied leads may have been worked on since; they are not removed.
  }
}
