import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Work tables and lookup indexes of the legacy import's LMS and CRM phases.
 * `college_map` and `application_map` send each legacy college / application id to the native row
 * it became (itself, or the row it was merged into), so later phases follow merges. The indexes on
 * the staging tables let a batch find a row's duplicates (same batch and student, same application,
 * same lead e-mail) without scanning the whole staged table for every row.
 */
export class AddLegacyLearningMaps1796100000100 implements MigrationInterface {
  name = 'AddLegacyLearningMaps1796100000100';
  public transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET lock_timeout = '5s'`);
    await queryRunner.query(`CREATE TABLE IF NOT EXISTS "legacy_import"."college_map" (
      "legacy_id" uuid PRIMARY KEY,
      "college_id" uuid NOT NULL)`);
    await queryRunner.query(`CREATE TABLE IF NOT EXISTS "legacy_import"."application_map" (
      "legacy_id" uuid PRIMARY KEY,
      "application_id" uuid NOT NULL)`);
    // A failed CONCURRENTLY build leaves an INVALID index behind; remove it before retrying.
    await queryRunner.query(
      `DROP INDEX CONCURRENTLY IF EXISTS "legacy_import"."idx_legacy_application_map_application_id"`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "idx_legacy_application_map_application_id" ON "legacy_import"."application_map" ("application_id")`,
    );
    await queryRunner.query(
      `DROP INDEX CONCURRENTLY IF EXISTS "legacy_import"."idx_legacy_applications_batch_id"`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "idx_legacy_applications_batch_id" ON "legacy_import"."applications" ("batchId")`,
    );
    await queryRunner.query(
      `DROP INDEX CONCURRENTLY IF EXISTS "legacy_import"."idx_legacy_discount_requests_application_id"`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "idx_legacy_discount_requests_application_id" ON "legacy_import"."discount_requests" ("applicationId")`,
    );
    await queryRunner.query(
      `DROP INDEX CONCURRENTLY IF EXISTS "legacy_import"."idx_legacy_pap_application_id"`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "idx_legacy_pap_application_id" ON "legacy_import"."mas101_pap_workflows" ("applicationId")`,
    );
    await queryRunner.query(
      `DROP INDEX CONCURRENTLY IF EXISTS "legacy_import"."idx_legacy_leads_email"`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "idx_legacy_leads_email" ON "legacy_import"."leads" (lower(btrim("email")))`,
    );
    await queryRunner.query(
      `DROP INDEX CONCURRENTLY IF EXISTS "legacy_import"."idx_legacy_leads_user_id"`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "idx_legacy_leads_user_id" ON "legacy_import"."leads" ("userId")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "legacy_import"."idx_legacy_leads_user_id"`);
    await queryRunner.query(`DROP INDEX "legacy_import"."idx_legacy_leads_email"`);
    await queryRunner.query(`DROP INDEX "legacy_import"."idx_legacy_pap_application_id"`);
    await queryRunner.query(
      `DROP INDEX "legacy_import"."idx_legacy_discount_requests_application_id"`,
    );
    await queryRunner.query(`DROP INDEX "legacy_import"."idx_legacy_applications_batch_id"`);
    await queryRunner.query(`DROP TABLE "legacy_import"."application_map"`);
    await queryRunner.query(`DROP TABLE "legacy_import"."college_map"`);
  }
}
