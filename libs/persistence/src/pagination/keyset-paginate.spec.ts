import { Column, DataSource, Entity } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { BaseEntity } from '../entities/base.entity.js';
import { SnakeNamingStrategy } from '../data-source/snake-naming.strategy.js';
import { paginateByKeyset } from './keyset-paginate.js';

@Entity({ name: 'keyset_items' })
class KeysetItem extends BaseEntity {
  @Column({ type: 'int' })
  seq: number;
}

describe('paginateByKeyset on a real database', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
    await database.sql(`CREATE TABLE keyset_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      seq int NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now())`);
    // Many rows share a timestamp, so the id tie-break matters.
    await database.sql(`INSERT INTO keyset_items (seq, created_at)
      SELECT g, timestamptz '2026-01-01' + (g / 7) * interval '1 ms' FROM generate_series(1, 500) g`);
    dataSource = await new DataSource({
      type: 'postgres',
      url: database.url,
      entities: [KeysetItem],
      namingStrategy: new SnakeNamingStrategy(),
    }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const page = (limit: number, cursor?: string) =>
    paginateByKeyset(dataSource.getRepository(KeysetItem).createQueryBuilder('item'), {
      limit,
      cursor,
    });

  it('visits every existing row exactly once while new rows are inserted concurrently', async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    let inserted = 0;
    do {
      const result = await page(23, cursor);
      seen.push(...result.items.map((item) => item.seq));
      // Writers keep inserting (newer rows) while the reader pages backwards in time.
      await database.sql(
        `INSERT INTO keyset_items (seq) SELECT 10000 + g FROM generate_series(1, 5) g`,
      );
      inserted += 5;
      cursor = result.nextCursor ?? undefined;
    } while (cursor);
    const original = seen.filter((seq) => seq <= 500);
    expect(original).toHaveLength(500);
    expect(new Set(original).size).toBe(500);
    expect(seen.filter((seq) => seq > 500)).toEqual([]);
    expect(inserted).toBeGreaterThan(0);
  });

  it('returns newest first and no cursor on the last page', async () => {
    const first = await page(100);
    const times = first.items.map((item) => item.createdAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const all = await page(100, undefined);
    expect(all.nextCursor).not.toBeNull();
    const total = Number((await database.sql('SELECT count(*) AS n FROM keyset_items')).rows[0].n);
    let cursor: string | null = null;
    let count = 0;
    do {
      const result = await page(100, cursor ?? undefined);
      count += result.items.length;
      cursor = result.nextCursor;
    } while (cursor);
    expect(count).toBe(total);
  });
});
