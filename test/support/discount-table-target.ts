import { type DiscountTarget } from '@mas/finance';
import { type User } from '@mas/identity';
import { type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { type TestDatabase } from './test-database.js';

const TABLE = 'discount_spec_targets';

/**
 * A DiscountTarget for finance's own specs, on a real table of the test database: finance may not
 * load the LMS (whose applications implement the port in the app), yet its discount rules need a
 * target that locks, prices, scopes and takes the approved price inside finance's transaction.
 * A target is visible only to its owner; prices must stay positive (a CHECK to make a write fail).
 */
export class DiscountTableTarget implements DiscountTarget {
  static async create(database: TestDatabase): Promise<DiscountTableTarget> {
    await database.sql(`CREATE TABLE ${TABLE} (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      owner_id uuid NOT NULL,
      price numeric(12, 2) NOT NULL CHECK (price > 0))`);
    return new DiscountTableTarget(database);
  }

  private constructor(private readonly database: TestDatabase) {}

  async add(owner: User, price: string): Promise<string> {
    const { rows } = await this.database.sql(
      `INSERT INTO ${TABLE} (owner_id, price) VALUES ($1, $2) RETURNING id`,
      [owner.id, price],
    );
    return rows[0].id as string;
  }

  async priceOf(id: string): Promise<string> {
    const { rows } = await this.database.sql(`SELECT price FROM ${TABLE} WHERE id = $1`, [id]);
    return rows[0].price as string;
  }

  async lockCurrentPrice(tx: EntityManager, id: string, requester: User): Promise<string | null> {
    const rows = await tx.query<{ price: string }[]>(
      `SELECT price FROM ${TABLE} WHERE id = $1 AND owner_id = $2 FOR UPDATE`,
      [id, requester.id],
    );
    return rows[0]?.price ?? null;
  }

  restrictToVisible<T extends ObjectLiteral>(
    query: SelectQueryBuilder<T>,
    applicationId: string,
    viewer: User,
  ): SelectQueryBuilder<T> {
    return query.andWhere(
      `${applicationId} IN (SELECT id FROM ${TABLE} WHERE owner_id = :targetViewerId)`,
      { targetViewerId: viewer.id },
    );
  }

  async applyApprovedPrice(tx: EntityManager, id: string, approvedPrice: string): Promise<void> {
    await tx.query(`UPDATE ${TABLE} SET price = $2 WHERE id = $1`, [id, approvedPrice]);
  }
}
