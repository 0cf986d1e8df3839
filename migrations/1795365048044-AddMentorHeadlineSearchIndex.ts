import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Backs `GET /api/mentorship/mentors?q=` (case-insensitive headline prefix) with an index. Built
 * CONCURRENTLY outside a transaction so writes to mentor_profiles never wait for it.
 */
export class AddMentorHeadlineSearchIndex1795365048044 implements MigrationInterface {
  name = 'AddMentorHeadlineSearchIndex1795365048044';
  public transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET lock_timeout = '5s'`);
    // A failed CONCURRENTLY build leaves an invalid index behind; clear it before building again.
    await queryRunner.query(
      `DROP INDEX CONCURRENTLY IF EXISTS "idx_mentor_profiles_headline_lower_prefix"`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "idx_mentor_profiles_headline_lower_prefix" ON "mentor_profiles" (lower("headline") text_pattern_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // TypeORM reverts inside a transaction, where CONCURRENTLY is not allowed.
    await queryRunner.query(`SET LOCAL lock_timeout = '5s'`);
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_mentor_profiles_headline_lower_prefix"`);
  }
}
