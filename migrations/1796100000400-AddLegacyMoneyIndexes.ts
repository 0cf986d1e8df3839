import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Lookup indexes of the legacy import's money phase: a batch takes the next users' whole wallets, so
 * it finds their staged ledger rows and balance rows by legacy user id instead of scanning the whole
 * staged ledger (millions of rows) once per batch.
 */
export class AddLegacyMoneyIndexes1796100000400 implements MigrationInterface {
  name = 'AddLegacyMoneyIndexes1796100000400';
  public transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET lock_timeout = '5s'`);
    // A failed CONCURRENTLY build leaves an INVALID index behind; remove it before retrying.
    await queryRunner.query(
      `DROP INDEX CONCURRENTLY IF EXISTS "legacy_import"."idx_legacy_token_usage_user_id"`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "idx_legacy_token_usage_user_id" ON "legacy_import"."token_usage" ("userId")`,
    );
    await queryRunner.query(
      `DROP INDEX CONCURRENTLY IF EXISTS "legacy_import"."idx_legacy_tokens_user_id"`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "idx_legacy_tokens_user_id" ON "legacy_import"."tokens" ("userId")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "legacy_import"."idx_legacy_tokens_user_id"`);
    await queryRunner.query(`DROP INDEX "legacy_import"."idx_legacy_token_usage_user_id"`);
  }
}
