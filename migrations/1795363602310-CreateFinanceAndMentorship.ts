import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateFinanceAndMentorship1795363602310 implements MigrationInterface {
  name = 'CreateFinanceAndMentorship1795363602310';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The new foreign keys lock users briefly; never wait behind a long query for it.
    await queryRunner.query(`SET LOCAL lock_timeout = '5s'`);
    await queryRunner.query(
      `CREATE TABLE "token_wallets" ("user_id" uuid NOT NULL, "balance" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_token_wallets_balance_not_negative" CHECK ("balance" >= 0), CONSTRAINT "pk_token_wallets" PRIMARY KEY ("user_id"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."token_usage_type" AS ENUM('allotment', 'meeting_booking', 'refund', 'penalty', 'earning', 'adjustment')`,
    );
    await queryRunner.query(
      `CREATE TABLE "token_usages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "entry_no" BIGSERIAL NOT NULL, "user_id" uuid NOT NULL, "usage_type" "public"."token_usage_type" NOT NULL, "delta" integer NOT NULL, "balance_before" integer NOT NULL, "balance_after" integer NOT NULL, "slot_id" uuid, "note" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_token_usages_entry_no" UNIQUE ("entry_no"), CONSTRAINT "chk_token_usages_delta_not_zero" CHECK ("delta" <> 0), CONSTRAINT "chk_token_usages_balance_after" CHECK ("balance_after" = "balance_before" + "delta"), CONSTRAINT "pk_token_usages" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_token_usages_slot_id" ON "token_usages"  ("slot_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_token_usages_user_id_created_at_id" ON "token_usages"  ("user_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."allotment_status" AS ENUM('pending', 'approved', 'rejected')`,
    );
    await queryRunner.query(
      `CREATE TABLE "token_allotment_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "tokens" integer NOT NULL, "reason" text NOT NULL, "status" "public"."allotment_status" NOT NULL DEFAULT 'pending', "requested_by_id" uuid NOT NULL, "decided_by_id" uuid, "decided_at" TIMESTAMP(3) WITH TIME ZONE, "decision_note" text, CONSTRAINT "chk_token_allotment_requests_tokens_positive" CHECK ("tokens" > 0), CONSTRAINT "pk_token_allotment_requests" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_token_allotment_requests_user_id" ON "token_allotment_requests"  ("user_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_token_allotment_requests_status_created_at_id" ON "token_allotment_requests"  ("status", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."meeting_status" AS ENUM('tentative', 'meeting_requested', 'under_review', 'confirmed', 'cancellation_requested', 'cancelled', 'completed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "slots" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "mentor_id" uuid NOT NULL, "student_id" uuid, "starts_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "status" "public"."meeting_status" NOT NULL DEFAULT 'tentative', "price_tokens" integer NOT NULL, "earnings_credited" boolean NOT NULL DEFAULT false, "cancellation_requested_by_id" uuid, CONSTRAINT "chk_slots_price_positive" CHECK ("price_tokens" > 0), CONSTRAINT "chk_slots_starts_before_ends" CHECK ("starts_at" < "ends_at"), CONSTRAINT "excl_slots_mentor_no_overlap" EXCLUDE USING gist ("mentor_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE ("status" <> 'cancelled'), CONSTRAINT "pk_slots" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_slots_status_starts_at_id" ON "slots"  ("status", "starts_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_slots_student_id_starts_at_id" ON "slots"  ("student_id", "starts_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_slots_mentor_id_starts_at_id" ON "slots"  ("mentor_id", "starts_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "mentor_profiles" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "headline" character varying(200) NOT NULL, "expertise" text array NOT NULL DEFAULT '{}', "bio" text, CONSTRAINT "rel_mentor_profiles_user_id" UNIQUE ("user_id"), CONSTRAINT "pk_mentor_profiles" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_mentor_profiles_created_at_id" ON "mentor_profiles"  ("created_at", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "token_wallets" ADD CONSTRAINT "fk_token_wallets_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "token_usages" ADD CONSTRAINT "fk_token_usages_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "token_allotment_requests" ADD CONSTRAINT "fk_token_allotment_requests_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "token_allotment_requests" ADD CONSTRAINT "fk_token_allotment_requests_requested_by_id" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "token_allotment_requests" ADD CONSTRAINT "fk_token_allotment_requests_decided_by_id" FOREIGN KEY ("decided_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "slots" ADD CONSTRAINT "fk_slots_mentor_id" FOREIGN KEY ("mentor_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "slots" ADD CONSTRAINT "fk_slots_student_id" FOREIGN KEY ("student_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mentor_profiles" ADD CONSTRAINT "fk_mentor_profiles_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // The ledger is append-only, enforced by the database for every client.
    await queryRunner.query(`CREATE FUNCTION token_usages_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'token_usages is append-only: % is not allowed', TG_OP USING ERRCODE = 'P0001';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER token_usages_append_only BEFORE UPDATE OR DELETE ON token_usages FOR EACH ROW EXECUTE FUNCTION token_usages_reject_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER token_usages_no_truncate BEFORE TRUNCATE ON token_usages FOR EACH STATEMENT EXECUTE FUNCTION token_usages_reject_change()`,
    );
    // Users created before this migration get their wallet here; new users get it from the subscriber.
    // migration-guard allow dynamic-exclusive-lock: part of the schema's first release, already applied everywhere (a new backfill like this would go in batches, in a migration of its own)
    await queryRunner.query(
      `INSERT INTO token_wallets (user_id) SELECT id FROM users ON CONFLICT (user_id) DO NOTHING`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER token_usages_no_truncate ON token_usages`);
    await queryRunner.query(`DROP TRIGGER token_usages_append_only ON token_usages`);
    await queryRunner.query(`DROP FUNCTION token_usages_reject_change()`);
    await queryRunner.query(
      `ALTER TABLE "mentor_profiles" DROP CONSTRAINT "fk_mentor_profiles_user_id"`,
    );
    await queryRunner.query(`ALTER TABLE "slots" DROP CONSTRAINT "fk_slots_student_id"`);
    await queryRunner.query(`ALTER TABLE "slots" DROP CONSTRAINT "fk_slots_mentor_id"`);
    await queryRunner.query(
      `ALTER TABLE "token_allotment_requests" DROP CONSTRAINT "fk_token_allotment_requests_decided_by_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "token_allotment_requests" DROP CONSTRAINT "fk_token_allotment_requests_requested_by_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "token_allotment_requests" DROP CONSTRAINT "fk_token_allotment_requests_user_id"`,
    );
    await queryRunner.query(`ALTER TABLE "token_usages" DROP CONSTRAINT "fk_token_usages_user_id"`);
    await queryRunner.query(
      `ALTER TABLE "token_wallets" DROP CONSTRAINT "fk_token_wallets_user_id"`,
    );
    await queryRunner.query(`DROP INDEX "public"."idx_mentor_profiles_created_at_id"`);
    await queryRunner.query(`DROP TABLE "mentor_profiles"`);
    await queryRunner.query(`DROP INDEX "public"."idx_slots_mentor_id_starts_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_slots_student_id_starts_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_slots_status_starts_at_id"`);
    await queryRunner.query(`DROP TABLE "slots"`);
    await queryRunner.query(`DROP TYPE "public"."meeting_status"`);
    await queryRunner.query(
      `DROP INDEX "public"."idx_token_allotment_requests_status_created_at_id"`,
    );
    await queryRunner.query(`DROP INDEX "public"."idx_token_allotment_requests_user_id"`);
    await queryRunner.query(`DROP TABLE "token_allotment_requests"`);
    await queryRunner.query(`DROP TYPE "public"."allotment_status"`);
    await queryRunner.query(`DROP INDEX "public"."idx_token_usages_user_id_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_token_usages_slot_id"`);
    await queryRunner.query(`DROP TABLE "token_usages"`);
    await queryRunner.query(`DROP TYPE "public"."token_usage_type"`);
    await queryRunner.query(`DROP TABLE "token_wallets"`);
  }
}
