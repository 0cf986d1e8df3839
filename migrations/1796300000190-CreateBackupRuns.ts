import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateBackupRuns1796300000190 implements MigrationInterface {
  name = 'CreateBackupRuns1796300000190';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "superadmin"."backup_run_kind" AS ENUM('backup', 'drill')`,
    );
    await queryRunner.query(
      `CREATE TYPE "superadmin"."backup_run_status" AS ENUM('verified', 'failed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "superadmin"."backup_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" "superadmin"."backup_run_kind" NOT NULL, "status" "superadmin"."backup_run_status" NOT NULL, "file" text, "started_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "snapshot_at" TIMESTAMP(3) WITH TIME ZONE, "detail" jsonb NOT NULL, CONSTRAINT "pk_backup_runs" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_backup_runs_kind_finished_at" ON "superadmin"."backup_runs"  ("kind", "finished_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "superadmin"."idx_backup_runs_kind_finished_at"`);
    await queryRunner.query(`DROP TABLE "superadmin"."backup_runs"`);
    await queryRunner.query(`DROP TYPE "superadmin"."backup_run_status"`);
    await queryRunner.query(`DROP TYPE "superadmin"."backup_run_kind"`);
  }
}
