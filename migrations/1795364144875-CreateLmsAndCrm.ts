import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateLmsAndCrm1795364144875 implements MigrationInterface {
  name = 'CreateLmsAndCrm1795364144875';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The new foreign keys lock users briefly; never wait behind a long query for it.
    await queryRunner.query(`SET LOCAL lock_timeout = '5s'`);
    await queryRunner.query(
      `CREATE TABLE "colleges" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "name" character varying(300) NOT NULL, "city" character varying(100) NOT NULL, "state" character varying(100) NOT NULL, CONSTRAINT "pk_colleges" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_colleges_name_city" ON "colleges"  ("name", "city") `,
    );
    await queryRunner.query(
      `CREATE TABLE "courses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "code" character varying(30) NOT NULL, "title" character varying(200) NOT NULL, "description" text, "price" numeric(12,2) NOT NULL, CONSTRAINT "uq_courses_code" UNIQUE ("code"), CONSTRAINT "chk_courses_price_not_negative" CHECK ("price" >= 0), CONSTRAINT "pk_courses" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_courses_created_at_id" ON "courses"  ("created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "batches" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "course_id" uuid NOT NULL, "name" character varying(150) NOT NULL, "starts_on" date NOT NULL, "capacity" integer NOT NULL, "price" numeric(12,2) NOT NULL, CONSTRAINT "chk_batches_price_not_negative" CHECK ("price" >= 0), CONSTRAINT "chk_batches_capacity_positive" CHECK ("capacity" > 0), CONSTRAINT "pk_batches" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_batches_created_at_id" ON "batches"  ("created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_batches_course_id_starts_on" ON "batches"  ("course_id", "starts_on") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."application_status" AS ENUM('submitted', 'under_review', 'accepted', 'rejected', 'enrolled', 'withdrawn')`,
    );
    await queryRunner.query(
      `CREATE TABLE "applications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "batch_id" uuid NOT NULL, "college_id" uuid, "status" "public"."application_status" NOT NULL DEFAULT 'submitted', "final_amount" numeric(12,2) NOT NULL, "extra_data" jsonb, CONSTRAINT "pk_applications" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_applications_created_at_id" ON "applications"  ("created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_applications_batch_id_created_at_id" ON "applications"  ("batch_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_applications_status_created_at_id" ON "applications"  ("status", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_applications_user_id_batch_id" ON "applications"  ("user_id", "batch_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."pap_status" AS ENUM('initiated', 'agreement_signed', 'in_training', 'placement_search', 'placed', 'repaying', 'completed', 'cancelled')`,
    );
    await queryRunner.query(
      `CREATE TABLE "mas101_pap_workflows" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "application_id" uuid NOT NULL, "status" "public"."pap_status" NOT NULL DEFAULT 'initiated', CONSTRAINT "rel_mas101_pap_workflows_application_id" UNIQUE ("application_id"), CONSTRAINT "pk_mas101_pap_workflows" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "mas_crm"."lead_tags" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "name" citext NOT NULL, CONSTRAINT "uq_lead_tags_name" UNIQUE ("name"), CONSTRAINT "pk_lead_tags" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "mas_crm"."lead_status" AS ENUM('active', 'contacted', 'qualified', 'converted', 'lost')`,
    );
    await queryRunner.query(
      `CREATE TABLE "mas_crm"."leads" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "full_name" character varying(200) NOT NULL, "email" citext, "phone" character varying(40), "source" character varying(60) NOT NULL, "status" "mas_crm"."lead_status" NOT NULL DEFAULT 'active', "platform" character varying(40), "user_id" uuid, "application_id" uuid, "owner_id" uuid, CONSTRAINT "pk_leads" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_leads_application_id" ON "mas_crm"."leads"  ("application_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_leads_status_created_at_id" ON "mas_crm"."leads"  ("status", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_leads_created_at_id" ON "mas_crm"."leads"  ("created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_leads_active_created_at" ON "mas_crm"."leads"  ("created_at", "id") WHERE "status" = 'active'`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_leads_owner_id_status_created_at_id" ON "mas_crm"."leads"  ("owner_id", "status", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_leads_one_per_user" ON "mas_crm"."leads"  ("user_id") WHERE "user_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_leads_source_email" ON "mas_crm"."leads"  ("source", "email") `,
    );
    await queryRunner.query(
      `CREATE TYPE "mas_crm"."lead_activity_type" AS ENUM('note', 'call', 'email', 'meeting', 'status_change')`,
    );
    await queryRunner.query(
      `CREATE TABLE "mas_crm"."lead_activities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "lead_id" uuid NOT NULL, "type" "mas_crm"."lead_activity_type" NOT NULL, "body" text NOT NULL, "author_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_lead_activities" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_lead_activities_lead_id_created_at_id" ON "mas_crm"."lead_activities"  ("lead_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."discount_status" AS ENUM('pending', 'approved', 'rejected')`,
    );
    await queryRunner.query(
      `CREATE TABLE "discount_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "application_id" uuid NOT NULL, "requested_price" numeric(12,2) NOT NULL, "approved_price" numeric(12,2), "status" "public"."discount_status" NOT NULL DEFAULT 'pending', "note" text, "requested_by_id" uuid NOT NULL, "decided_by_id" uuid, "decided_at" TIMESTAMP(3) WITH TIME ZONE, "decision_note" text, CONSTRAINT "pk_discount_requests" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_discount_requests_status_created_at_id" ON "discount_requests"  ("status", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_discount_requests_application_id_created_at" ON "discount_requests"  ("application_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_discount_requests_one_pending" ON "discount_requests"  ("application_id") WHERE "status" = 'pending'`,
    );
    await queryRunner.query(
      `CREATE TABLE "mas_crm"."lead_tag_links" ("lead_id" uuid NOT NULL, "tag_id" uuid NOT NULL, CONSTRAINT "pk_lead_tag_links" PRIMARY KEY ("lead_id", "tag_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_lead_tag_links_lead_id" ON "mas_crm"."lead_tag_links"  ("lead_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_lead_tag_links_tag_id" ON "mas_crm"."lead_tag_links"  ("tag_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "batches" ADD CONSTRAINT "fk_batches_course_id" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "applications" ADD CONSTRAINT "fk_applications_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "applications" ADD CONSTRAINT "fk_applications_batch_id" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "applications" ADD CONSTRAINT "fk_applications_college_id" FOREIGN KEY ("college_id") REFERENCES "colleges"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mas101_pap_workflows" ADD CONSTRAINT "fk_mas101_pap_workflows_application_id" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mas_crm"."leads" ADD CONSTRAINT "fk_leads_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mas_crm"."leads" ADD CONSTRAINT "fk_leads_application_id" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mas_crm"."leads" ADD CONSTRAINT "fk_leads_owner_id" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mas_crm"."lead_activities" ADD CONSTRAINT "fk_lead_activities_lead_id" FOREIGN KEY ("lead_id") REFERENCES "mas_crm"."leads"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mas_crm"."lead_activities" ADD CONSTRAINT "fk_lead_activities_author_id" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "discount_requests" ADD CONSTRAINT "fk_discount_requests_requested_by_id" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "discount_requests" ADD CONSTRAINT "fk_discount_requests_decided_by_id" FOREIGN KEY ("decided_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mas_crm"."lead_tag_links" ADD CONSTRAINT "fk_lead_tag_links_lead_id" FOREIGN KEY ("lead_id") REFERENCES "mas_crm"."leads"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "mas_crm"."lead_tag_links" ADD CONSTRAINT "fk_lead_tag_links_tag_id" FOREIGN KEY ("tag_id") REFERENCES "mas_crm"."lead_tags"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    // Expression indexes TypeORM cannot describe (declared with synchronize: false on the entities).
    await queryRunner.query(
      `CREATE INDEX "idx_colleges_name_lower_prefix" ON "colleges" (lower("name") text_pattern_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_leads_search_trgm" ON "mas_crm"."leads" USING gin ((lower("full_name" || ' ' || coalesce("email"::text, ''))) gin_trgm_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "mas_crm"."idx_leads_search_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."idx_colleges_name_lower_prefix"`);
    await queryRunner.query(
      `ALTER TABLE "mas_crm"."lead_tag_links" DROP CONSTRAINT "fk_lead_tag_links_tag_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "mas_crm"."lead_tag_links" DROP CONSTRAINT "fk_lead_tag_links_lead_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "discount_requests" DROP CONSTRAINT "fk_discount_requests_decided_by_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "discount_requests" DROP CONSTRAINT "fk_discount_requests_requested_by_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "mas_crm"."lead_activities" DROP CONSTRAINT "fk_lead_activities_author_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "mas_crm"."lead_activities" DROP CONSTRAINT "fk_lead_activities_lead_id"`,
    );
    await queryRunner.query(`ALTER TABLE "mas_crm"."leads" DROP CONSTRAINT "fk_leads_owner_id"`);
    await queryRunner.query(
      `ALTER TABLE "mas_crm"."leads" DROP CONSTRAINT "fk_leads_application_id"`,
    );
    await queryRunner.query(`ALTER TABLE "mas_crm"."leads" DROP CONSTRAINT "fk_leads_user_id"`);
    await queryRunner.query(
      `ALTER TABLE "mas101_pap_workflows" DROP CONSTRAINT "fk_mas101_pap_workflows_application_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "applications" DROP CONSTRAINT "fk_applications_college_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "applications" DROP CONSTRAINT "fk_applications_batch_id"`,
    );
    await queryRunner.query(`ALTER TABLE "applications" DROP CONSTRAINT "fk_applications_user_id"`);
    await queryRunner.query(`ALTER TABLE "batches" DROP CONSTRAINT "fk_batches_course_id"`);
    await queryRunner.query(`DROP INDEX "mas_crm"."idx_lead_tag_links_tag_id"`);
    await queryRunner.query(`DROP INDEX "mas_crm"."idx_lead_tag_links_lead_id"`);
    await queryRunner.query(`DROP TABLE "mas_crm"."lead_tag_links"`);
    await queryRunner.query(`DROP INDEX "public"."uq_discount_requests_one_pending"`);
    await queryRunner.query(
      `DROP INDEX "public"."idx_discount_requests_application_id_created_at"`,
    );
    await queryRunner.query(`DROP INDEX "public"."idx_discount_requests_status_created_at_id"`);
    await queryRunner.query(`DROP TABLE "discount_requests"`);
    await queryRunner.query(`DROP TYPE "public"."discount_status"`);
    await queryRunner.query(`DROP INDEX "mas_crm"."idx_lead_activities_lead_id_created_at_id"`);
    await queryRunner.query(`DROP TABLE "mas_crm"."lead_activities"`);
    await queryRunner.query(`DROP TYPE "mas_crm"."lead_activity_type"`);
    await queryRunner.query(`DROP INDEX "mas_crm"."idx_leads_source_email"`);
    await queryRunner.query(`DROP INDEX "mas_crm"."uq_leads_one_per_user"`);
    await queryRunner.query(`DROP INDEX "mas_crm"."idx_leads_owner_id_status_created_at_id"`);
    await queryRunner.query(`DROP INDEX "mas_crm"."idx_leads_active_created_at"`);
    await queryRunner.query(`DROP INDEX "mas_crm"."idx_leads_created_at_id"`);
    await queryRunner.query(`DROP INDEX "mas_crm"."idx_leads_status_created_at_id"`);
    await queryRunner.query(`DROP INDEX "mas_crm"."idx_leads_application_id"`);
    await queryRunner.query(`DROP TABLE "mas_crm"."leads"`);
    await queryRunner.query(`DROP TYPE "mas_crm"."lead_status"`);
    await queryRunner.query(`DROP TABLE "mas_crm"."lead_tags"`);
    await queryRunner.query(`DROP TABLE "mas101_pap_workflows"`);
    await queryRunner.query(`DROP TYPE "public"."pap_status"`);
    await queryRunner.query(`DROP INDEX "public"."idx_applications_user_id_batch_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_applications_status_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_applications_batch_id_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_applications_created_at_id"`);
    await queryRunner.query(`DROP TABLE "applications"`);
    await queryRunner.query(`DROP TYPE "public"."application_status"`);
    await queryRunner.query(`DROP INDEX "public"."idx_batches_course_id_starts_on"`);
    await queryRunner.query(`DROP INDEX "public"."idx_batches_created_at_id"`);
    await queryRunner.query(`DROP TABLE "batches"`);
    await queryRunner.query(`DROP INDEX "public"."idx_courses_created_at_id"`);
    await queryRunner.query(`DROP TABLE "courses"`);
    await queryRunner.query(`DROP INDEX "public"."idx_colleges_name_city"`);
    await queryRunner.query(`DROP TABLE "colleges"`);
  }
}
