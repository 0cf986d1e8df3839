import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Schema `legacy_import`: the work tables of `npm run legacy:import`. The staging tables hold the old
 * backend's rows verbatim (its quoted camelCase columns; enums as text, nothing constrained but the
 * id), copied in batches; the import's phases turn them into native rows. `checkpoints` makes every
 * step resumable, `user_map` sends each legacy user id to the user it became (itself, or the account
 * it was merged into), and `report_items` lists every row that was merged, changed or skipped.
 */
export class CreateLegacyImportStaging1796100000000 implements MigrationInterface {
  name = 'CreateLegacyImportStaging1796100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "legacy_import"`);
    await queryRunner.query(`CREATE TABLE "legacy_import"."users" (
    "id" uuid PRIMARY KEY, "email" text, "password" text, "fullName" text, "role" text, "stage" text,
    "salesHeadId" uuid, "isActive" boolean, "createdAt" timestamp, "updatedAt" timestamp)`);
    await queryRunner.query(`CREATE TABLE "legacy_import"."tokens" (
    "id" uuid PRIMARY KEY, "userId" uuid, "balance" integer, "createdAt" timestamp, "updatedAt" timestamp)`);
    await queryRunner.query(`CREATE TABLE "legacy_import"."mentors" (
    "id" uuid PRIMARY KEY, "userId" uuid, "headline" text, "expertise" text, "bio" text,
    "createdAt" timestamp, "updatedAt" timestamp)`);
    await queryRunner.query(`CREATE TABLE "legacy_import"."slots" (
    "id" uuid PRIMARY KEY, "mentorId" uuid, "studentId" uuid, "startTime" timestamp, "endTime" timestamp,
    "status" text, "tokenCost" integer, "isAvailable" boolean, "earningsCredited" boolean,
    "createdAt" timestamp, "updatedAt" timestamp)`);
    await queryRunner.query(`CREATE TABLE "legacy_import"."token_usage" (
    "id" uuid PRIMARY KEY, "userId" uuid, "slotId" uuid, "usageType" text, "tokensUsed" integer,
    "balanceBefore" integer, "balanceAfter" integer, "description" text, "createdAt" timestamp)`);
    await queryRunner.query(`CREATE TABLE "legacy_import"."colleges" (
    "id" uuid PRIMARY KEY, "name" text, "city" text, "state" text)`);
    await queryRunner.query(`CREATE TABLE "legacy_import"."courses" (
    "id" uuid PRIMARY KEY, "code" text, "title" text, "description" text, "price" numeric(10,2),
    "createdAt" timestamp)`);
    await queryRunner.query(`CREATE TABLE "legacy_import"."batches" (
    "id" uuid PRIMARY KEY, "courseId" uuid, "name" text, "startDate" date, "capacity" integer,
    "price" numeric(10,2), "createdAt" timestamp)`);
    await queryRunner.query(`CREATE TABLE "legacy_import"."applications" (
    "id" uuid PRIMARY KEY, "userId" uuid, "batchId" uuid, "collegeId" uuid, "status" text,
    "finalAmount" numeric(10,2), "extraData" jsonb, "createdAt" timestamp, "updatedAt" timestamp)`);
    await queryRunner.query(`CREATE TABLE "legacy_import"."discount_requests" (
    "id" uuid PRIMARY KEY, "applicationId" uuid, "batchId" uuid, "requestedById" uuid,
    "reviewedById" uuid, "requestedPrice" numeric(10,2), "approvedPrice" numeric(10,2), "status" text,
    "note" text, "createdAt" timestamp, "updatedAt" timestamp)`);
    await queryRunner.query(`CREATE TABLE "legacy_import"."mas101_pap_workflows" (
    "id" uuid PRIMARY KEY, "applicationId" uuid, "status" text, "createdAt" timestamp,
    "updatedAt" timestamp)`);
    await queryRunner.query(`CREATE TABLE "legacy_import"."leads" (
    "id" uuid PRIMARY KEY, "fullName" text, "email" text, "phone" text, "source" text, "status" text,
    "platform" text, "ownerId" uuid, "userId" uuid, "createdAt" timestamp, "updatedAt" timestamp)`);
    await queryRunner.query(`CREATE TABLE "legacy_import"."checkpoints" (
      "step" text PRIMARY KEY,
      "last_key" text,
      "units_done" bigint NOT NULL DEFAULT 0,
      "done" boolean NOT NULL DEFAULT false,
      "updated_at" timestamptz NOT NULL DEFAULT now())`);
    await queryRunner.query(`CREATE TABLE "legacy_import"."user_map" (
      "legacy_id" uuid PRIMARY KEY,
      "user_id" uuid NOT NULL)`);
    await queryRunner.query(
      `CREATE INDEX "idx_legacy_user_map_user_id" ON "legacy_import"."user_map" ("user_id")`,
    );
    await queryRunner.query(`CREATE TABLE "legacy_import"."report_items" (
      "id" bigserial PRIMARY KEY,
      "table_name" text NOT NULL,
      "legacy_id" uuid NOT NULL,
      "outcome" text NOT NULL CONSTRAINT "chk_legacy_report_items_outcome"
        CHECK ("outcome" IN ('merged', 'changed', 'skipped')),
      "reason" text NOT NULL,
      CONSTRAINT "uq_legacy_report_items" UNIQUE ("table_name", "legacy_id", "outcome", "reason"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SCHEMA "legacy_import" CASCADE`);
  }
}
