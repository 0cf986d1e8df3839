import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateUsers1795362417567 implements MigrationInterface {
  name = 'CreateUsers1795362417567';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."user_role" AS ENUM('admin', 'expert', 'student', 'sales', 'sales_head')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."user_stage" AS ENUM('registered', 'onboarding', 'active', 'alumni')`,
    );
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "email" citext NOT NULL, "password_hash" character varying(255) NOT NULL, "full_name" character varying(150) NOT NULL, "role" "public"."user_role" NOT NULL DEFAULT 'student', "stage" "public"."user_stage" NOT NULL DEFAULT 'registered', "is_active" boolean NOT NULL DEFAULT true, "sales_head_id" uuid, CONSTRAINT "uq_users_email" UNIQUE ("email"), CONSTRAINT "pk_users" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_users_sales_head_id" ON "users"  ("sales_head_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_users_role_created_at_id" ON "users"  ("role", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_users_created_at_id" ON "users"  ("created_at", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "fk_users_sales_head_id" FOREIGN KEY ("sales_head_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "fk_users_sales_head_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_users_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_users_role_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_users_sales_head_id"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TYPE "public"."user_stage"`);
    await queryRunner.query(`DROP TYPE "public"."user_role"`);
  }
}
