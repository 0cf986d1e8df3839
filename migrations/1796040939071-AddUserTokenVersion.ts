import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Per-user access-token version (claim `ver`). A constant default makes the ADD COLUMN a catalog-only
 * change (no table rewrite); the lock timeout keeps it from queueing behind a long query.
 */
export class AddUserTokenVersion1796040939071 implements MigrationInterface {
  name = 'AddUserTokenVersion1796040939071';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '5s'`);
    await queryRunner.query(`ALTER TABLE "users" ADD "token_version" integer NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '5s'`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "token_version"`);
  }
}
