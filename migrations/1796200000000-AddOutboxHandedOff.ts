import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Email and job outbox rows end in `handed_off` (with the time) once their job is in Redis, and
 * become `dispatched` only when the consumer records the effect; the reconciler finds rows handed
 * off too long ago through the partial index. Outside a transaction: the new enum value must be
 * committed before the index predicate may name it, and the index is built CONCURRENTLY.
 */
export class AddOutboxHandedOff1796200000000 implements MigrationInterface {
  name = 'AddOutboxHandedOff1796200000000';
  public transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET lock_timeout = '5s'`);
    // IF NOT EXISTS: down() keeps the value (see there), so a re-run of up() finds it.
    await queryRunner.query(
      `ALTER TYPE "public"."outbox_status" ADD VALUE IF NOT EXISTS 'handed_off'`,
    );
    await queryRunner.query(
      `ALTER TABLE "outbox_messages" ADD COLUMN IF NOT EXISTS "handed_off_at" TIMESTAMP(3) WITH TIME ZONE`,
    );
    // A failed CONCURRENTLY build leaves an INVALID index behind; remove it before retrying.
    await queryRunner.query(
      `DROP INDEX CONCURRENTLY IF EXISTS "idx_outbox_messages_handed_off_at"`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "idx_outbox_messages_handed_off_at" ON "outbox_messages" ("handed_off_at") WHERE "status" = 'handed_off'`,
    );
  }

  /**
   * TypeORM reverts inside a transaction, where CONCURRENTLY is not allowed. Postgres cannot drop
   * an enum value, so 'handed_off' stays in the type; rows holding it go back to pending first, so
   * the previous release's relay enqueues them again (same job id, deduplicated).
   */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '5s'`);
    await queryRunner.query(
      `UPDATE "outbox_messages" SET "status" = 'pending', "next_attempt_at" = now() WHERE "status" = 'handed_off'`,
    );
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_outbox_messages_handed_off_at"`);
    await queryRunner.query(`ALTER TABLE "outbox_messages" DROP COLUMN "handed_off_at"`);
  }
}
