import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateWorkflowEngine1795371132871 implements MigrationInterface {
  name = 'CreateWorkflowEngine1795371132871';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // outbox_messages is written on every booking: wait 5 s at most for its lock, then fail and retry.
    await queryRunner.query(`SET LOCAL lock_timeout = '5s'`);
    await queryRunner.query(
      `CREATE TABLE "workflow_definitions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "key" character varying(100) NOT NULL, "version" integer NOT NULL, "name" character varying(200) NOT NULL, "config" jsonb NOT NULL, "trigger" jsonb, "created_by" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_workflow_definitions" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_workflow_definitions_trigger_event" ON "workflow_definitions" (("trigger" ->> 'event')) WHERE "trigger" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_workflow_definitions_key_version" ON "workflow_definitions"  ("key", "version") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."workflow_run_status" AS ENUM('pending', 'running', 'waiting', 'completed', 'failed', 'cancelled')`,
    );
    await queryRunner.query(
      `CREATE TABLE "workflow_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "definition_id" uuid NOT NULL, "definition_key" character varying(100) NOT NULL, "definition_version" integer NOT NULL, "status" "public"."workflow_run_status" NOT NULL DEFAULT 'pending', "subject_type" character varying(60) NOT NULL, "subject_id" character varying(100) NOT NULL, "current_step" character varying(100), "step_no" integer NOT NULL DEFAULT '1', "attempt" integer NOT NULL DEFAULT '1', "context" jsonb NOT NULL DEFAULT '{}', "due_at" TIMESTAMP(3) WITH TIME ZONE, "error" text, "trigger_message_id" uuid, "started_by" uuid, "finished_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "pk_workflow_runs" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_workflow_runs_due" ON "workflow_runs"  ("due_at") WHERE "status" IN ('pending', 'running', 'waiting') AND "due_at" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_workflow_runs_trigger" ON "workflow_runs"  ("definition_id", "trigger_message_id") WHERE "trigger_message_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_workflow_runs_status_created_at_id" ON "workflow_runs"  ("status", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_workflow_runs_created_at_id" ON "workflow_runs"  ("created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_workflow_runs_subject_id_created_at" ON "workflow_runs"  ("subject_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_workflow_runs_definition_key_created_at_id" ON "workflow_runs"  ("definition_key", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."workflow_step_status" AS ENUM('waiting', 'completed', 'failed', 'timed_out', 'cancelled')`,
    );
    await queryRunner.query(
      `CREATE TABLE "workflow_step_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "run_id" uuid NOT NULL, "step_no" integer NOT NULL, "step_key" character varying(100) NOT NULL, "step_type" character varying(30) NOT NULL, "attempt" integer NOT NULL, "status" "public"."workflow_step_status" NOT NULL, "output" jsonb, "error" text, "started_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "pk_workflow_step_runs" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_workflow_step_runs_run_id_step_no_attempt" ON "workflow_step_runs"  ("run_id", "step_no", "attempt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "mas_crm"."assignment_rotations" ("pool" character varying(60) NOT NULL, "last_user_id" uuid, "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_assignment_rotations" PRIMARY KEY ("pool"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "outbox_messages" ADD "run_at" TIMESTAMP(3) WITH TIME ZONE`,
    );
    // IF NOT EXISTS: down() keeps the value (see there), so a re-run of up() finds it.
    await queryRunner.query(`ALTER TYPE "public"."outbox_channel" ADD VALUE IF NOT EXISTS 'event'`);
    await queryRunner.query(
      `ALTER TABLE "workflow_runs" ADD CONSTRAINT "fk_workflow_runs_definition_id" FOREIGN KEY ("definition_id") REFERENCES "workflow_definitions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "workflow_step_runs" ADD CONSTRAINT "fk_workflow_step_runs_run_id" FOREIGN KEY ("run_id") REFERENCES "workflow_runs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '5s'`);
    await queryRunner.query(
      `ALTER TABLE "workflow_step_runs" DROP CONSTRAINT "fk_workflow_step_runs_run_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "workflow_runs" DROP CONSTRAINT "fk_workflow_runs_definition_id"`,
    );
    // outbox_channel keeps 'event': rebuilding the type would rewrite outbox_messages under an
    // exclusive lock and fail on pending event rows; code of the previous release never writes it.
    await queryRunner.query(`ALTER TABLE "outbox_messages" DROP COLUMN "run_at"`);
    await queryRunner.query(`DROP TABLE "mas_crm"."assignment_rotations"`);
    await queryRunner.query(`DROP INDEX "public"."idx_workflow_step_runs_run_id_step_no_attempt"`);
    await queryRunner.query(`DROP TABLE "workflow_step_runs"`);
    await queryRunner.query(`DROP TYPE "public"."workflow_step_status"`);
    await queryRunner.query(`DROP INDEX "public"."idx_workflow_runs_subject_id_created_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_workflow_runs_definition_key_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_workflow_runs_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_workflow_runs_status_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."uq_workflow_runs_trigger"`);
    await queryRunner.query(`DROP INDEX "public"."idx_workflow_runs_due"`);
    await queryRunner.query(`DROP TABLE "workflow_runs"`);
    await queryRunner.query(`DROP TYPE "public"."workflow_run_status"`);
    await queryRunner.query(`DROP INDEX "public"."idx_workflow_definitions_key_version"`);
    await queryRunner.query(`DROP INDEX "public"."idx_workflow_definitions_trigger_event"`);
    await queryRunner.query(`DROP TABLE "workflow_definitions"`);
  }
}
