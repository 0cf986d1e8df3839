import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateOutboxKpiEmail1795365047044 implements MigrationInterface {
  name = 'CreateOutboxKpiEmail1795365047044';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."outbox_channel" AS ENUM('realtime', 'email', 'job')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'dispatched', 'failed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "outbox_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "channel" "public"."outbox_channel" NOT NULL, "topic" character varying(100) NOT NULL, "payload" jsonb NOT NULL, "audience" text array NOT NULL DEFAULT '{}', "status" "public"."outbox_status" NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "last_error" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "dispatched_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "pk_outbox_messages" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_outbox_messages_dispatched_at" ON "outbox_messages"  ("dispatched_at") WHERE "status" = 'dispatched'`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_outbox_messages_due" ON "outbox_messages"  ("next_attempt_at") WHERE "status" = 'pending'`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."email_delivery_status" AS ENUM('sent', 'failed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "email_deliveries" ("outbox_message_id" uuid NOT NULL, "template" character varying(100) NOT NULL, "recipient" character varying(320) NOT NULL, "status" "public"."email_delivery_status" NOT NULL, "error" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_email_deliveries" PRIMARY KEY ("outbox_message_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "superadmin"."kpi_snapshots" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "computed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "metrics" jsonb NOT NULL, CONSTRAINT "pk_kpi_snapshots" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_kpi_snapshots_computed_at" ON "superadmin"."kpi_snapshots"  ("computed_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "superadmin"."idx_kpi_snapshots_computed_at"`);
    await queryRunner.query(`DROP TABLE "superadmin"."kpi_snapshots"`);
    await queryRunner.query(`DROP TABLE "email_deliveries"`);
    await queryRunner.query(`DROP TYPE "public"."email_delivery_status"`);
    await queryRunner.query(`DROP INDEX "public"."idx_outbox_messages_due"`);
    await queryRunner.query(`DROP INDEX "public"."idx_outbox_messages_dispatched_at"`);
    await queryRunner.query(`DROP TABLE "outbox_messages"`);
    await queryRunner.query(`DROP TYPE "public"."outbox_status"`);
    await queryRunner.query(`DROP TYPE "public"."outbox_channel"`);
  }
}
