import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The relay claims due outbox rows through `outbox_claim`, which walks the due index in order.
 * Every claim and every mark leaves a dead entry in that index until VACUUM. The planner sees few
 * pending rows and picks a bitmap scan. A bitmap scan visits each dead entry's heap page on every
 * claim and never marks the entry dead, so claims got slower with each row dispatched since the
 * last vacuum. An ordered index scan marks each dead entry the first time it passes it, and stops
 * at the batch's limit. The planner has no hint syntax; a function's SET clause is the supported
 * way to scope a planner setting to one statement.
 *
 * Planned once per connection (a generic plan): each custom plan estimated `next_attempt_at <=
 * now()` by probing the end of the due index, which walks the same dead entries at every claim.
 */
export class AddOutboxClaimFunction1796400000000 implements MigrationInterface {
  name = 'AddOutboxClaimFunction1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION outbox_claim(channels outbox_channel[], batch integer, lease_seconds integer)
      RETURNS SETOF outbox_messages LANGUAGE plpgsql
      SET enable_bitmapscan = off SET plan_cache_mode = force_generic_plan AS $$
      BEGIN
        RETURN QUERY
        UPDATE outbox_messages
           SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => lease_seconds)
         WHERE id IN (SELECT id FROM outbox_messages
                       WHERE status = 'pending' AND next_attempt_at <= now() AND channel = ANY(channels)
                       ORDER BY next_attempt_at LIMIT batch FOR UPDATE SKIP LOCKED)
        RETURNING *;
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION IF EXISTS outbox_claim(outbox_channel[], integer, integer)`,
    );
  }
}
