import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The legacy import's report list loses its unique key over (table, legacy id, outcome, reason):
 * a batch records its decisions in the transaction that moves its checkpoint, so a committed batch
 * never records them again, and keeping a btree over a million long reasons up to date cost the
 * import more than all of its ledger rows' native indexes. The JSON report sorts the list once.
 */
export class DropLegacyReportItemsUniqueKey1796100000500 implements MigrationInterface {
  name = 'DropLegacyReportItemsUniqueKey1796100000500';
  public transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET lock_timeout = '5s'`);
    await queryRunner.query(
      `ALTER TABLE "legacy_import"."report_items" DROP CONSTRAINT IF EXISTS "uq_legacy_report_items"`,
    );
  }

  /** TypeORM runs down() in a transaction, so the index is built the plain way, under lock. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '5s'`);
    // migration-guard allow create-index-non-concurrent: down() always runs in a transaction, and the staging table is written only by a running import
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_legacy_report_items"
      ON "legacy_import"."report_items" ("table_name", "legacy_id", "outcome", "reason")`);
    await queryRunner.query(`ALTER TABLE "legacy_import"."report_items"
      ADD CONSTRAINT "uq_legacy_report_items" UNIQUE USING INDEX "uq_legacy_report_items"`);
  }
}
