import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The partner platforms' data, synced in: Mr. Learn learners and enrollments (schema mrlearn),
 * Mr. Test assessments and attempts (schema mrtest), keyed by the platform's ids, and each schema's
 * sync_state (one row per resource). New tables only; the foreign keys to users take a SHARE ROW
 * EXCLUSIVE lock on users, briefly, on empty tables, so under a lock timeout.
 */
export class AddExternalSync1796300000000 implements MigrationInterface {
  name = 'AddExternalSync1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '5s'`);
    await queryRunner.query(
      `CREATE TABLE "mrlearn"."learners" ("id" text NOT NULL, "email" citext NOT NULL, "name" text NOT NULL, "user_id" uuid, "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "synced_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_learners" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_learners_user_id" ON "mrlearn"."learners"  ("user_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_learners_email" ON "mrlearn"."learners"  ("email") `,
    );
    await queryRunner.query(
      `CREATE TABLE "mrlearn"."enrollments" ("id" text NOT NULL, "learner_id" text NOT NULL, "course_code" text NOT NULL, "status" text NOT NULL, "progress" smallint NOT NULL, "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "synced_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_enrollments_progress_range" CHECK ("progress" BETWEEN 0 AND 100), CONSTRAINT "pk_enrollments" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_enrollments_learner_id" ON "mrlearn"."enrollments"  ("learner_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "mrlearn"."sync_state" ("resource" text NOT NULL, "watermark" TIMESTAMP(3) WITH TIME ZONE, "pass_since" TIMESTAMP(3) WITH TIME ZONE, "cursor" text, "lease_owner" text, "lease_until" TIMESTAMP(3) WITH TIME ZONE, "last_run_started_at" TIMESTAMP(3) WITH TIME ZONE, "last_run_finished_at" TIMESTAMP(3) WITH TIME ZONE, "caught_up_at" TIMESTAMP(3) WITH TIME ZONE, "pages_synced" bigint NOT NULL DEFAULT '0', "items_synced" bigint NOT NULL DEFAULT '0', "items_deleted" bigint NOT NULL DEFAULT '0', "last_run_items" integer NOT NULL DEFAULT '0', "failed_runs" integer NOT NULL DEFAULT '0', "consecutive_failures" integer NOT NULL DEFAULT '0', "last_error" text, "last_error_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "pk_sync_state" PRIMARY KEY ("resource"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "mrtest"."assessments" ("id" text NOT NULL, "title" text NOT NULL, "max_score" numeric(12,2) NOT NULL, "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "synced_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_assessments" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "mrtest"."attempts" ("id" text NOT NULL, "assessment_id" text NOT NULL, "learner_email" citext NOT NULL, "user_id" uuid, "score" numeric(12,2) NOT NULL, "submitted_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "synced_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_attempts" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_attempts_user_id" ON "mrtest"."attempts"  ("user_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_attempts_learner_email" ON "mrtest"."attempts"  ("learner_email") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_attempts_assessment_id" ON "mrtest"."attempts"  ("assessment_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "mrtest"."sync_state" ("resource" text NOT NULL, "watermark" TIMESTAMP(3) WITH TIME ZONE, "pass_since" TIMESTAMP(3) WITH TIME ZONE, "cursor" text, "lease_owner" text, "lease_until" TIMESTAMP(3) WITH TIME ZONE, "last_run_started_at" TIMESTAMP(3) WITH TIME ZONE, "last_run_finished_at" TIMESTAMP(3) WITH TIME ZONE, "caught_up_at" TIMESTAMP(3) WITH TIME ZONE, "pages_synced" bigint NOT NULL DEFAULT '0', "items_synced" bigint NOT NULL DEFAULT '0', "items_deleted" bigint NOT NULL DEFAULT '0', "last_run_items" integer NOT NULL DEFAULT '0', "failed_runs" integer NOT NULL DEFAULT '0', "consecutive_failures" integer NOT NULL DEFAULT '0', "last_error" text, "last_error_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "pk_sync_state" PRIMARY KEY ("resource"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "mrlearn"."learners" ADD CONSTRAINT "fk_learners_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mrtest"."attempts" ADD CONSTRAINT "fk_attempts_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '5s'`);
    await queryRunner.query(
      `ALTER TABLE "mrtest"."attempts" DROP CONSTRAINT "fk_attempts_user_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "mrlearn"."learners" DROP CONSTRAINT "fk_learners_user_id"`,
    );
    await queryRunner.query(`DROP TABLE "mrtest"."sync_state"`);
    await queryRunner.query(`DROP INDEX "mrtest"."idx_attempts_assessment_id"`);
    await queryRunner.query(`DROP INDEX "mrtest"."idx_attempts_learner_email"`);
    await queryRunner.query(`DROP INDEX "mrtest"."idx_attempts_user_id"`);
    await queryRunner.query(`DROP TABLE "mrtest"."attempts"`);
    await queryRunner.query(`DROP TABLE "mrtest"."assessments"`);
    await queryRunner.query(`DROP TABLE "mrlearn"."sync_state"`);
    await queryRunner.query(`DROP INDEX "mrlearn"."idx_enrollments_learner_id"`);
    await queryRunner.query(`DROP TABLE "mrlearn"."enrollments"`);
    await queryRunner.query(`DROP INDEX "mrlearn"."idx_learners_email"`);
    await queryRunner.query(`DROP INDEX "mrlearn"."idx_learners_user_id"`);
    await queryRunner.query(`DROP TABLE "mrlearn"."learners"`);
  }
}
