import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { postgresErrorOf } from '../errors/postgres-errors.js';
import { HotStatements, preparingClient } from './prepared-statements.js';

describe('HotStatements', () => {
  it('names a text on its third use, and the same text always by the same name', () => {
    const hot = new HotStatements();
    expect(hot.nameFor('SELECT $1')).toBeUndefined();
    expect(hot.nameFor('SELECT $1')).toBeUndefined();
    const name = hot.nameFor('SELECT $1');
    expect(name).toMatch(/^mas_\d+$/);
    expect(hot.nameFor('SELECT $1')).toBe(name);
    expect(hot.nameFor('SELECT $2')).toBeUndefined();
  });

  it('names no more than maxNamed texts, and forgets cold texts rather than growing', () => {
    const hot = new HotStatements(2, 3, 1);
    hot.nameFor('a');
    expect(hot.nameFor('a')).toBe('mas_1');
    hot.nameFor('b');
    expect(hot.nameFor('b')).toBeUndefined();
    const cold = new HotStatements(2, 2, 10);
    cold.nameFor('x');
    cold.nameFor('y');
    cold.nameFor('z'); // the tracked set was full: x and y are forgotten
    expect(cold.nameFor('x')).toBeUndefined();
    expect(cold.nameFor('x')).toBe('mas_1');
  });
});

describe('preparingClient on a real database', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
    await database.sql('CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)');
    dataSource = await new DataSource({
      type: 'postgres',
      url: database.url,
      // One connection, so every query below meets the same server session.
      extra: { max: 1, Client: preparingClient(new HotStatements(), 2) },
    }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const preparedInSession = async () =>
    (
      await dataSource.query<{ statement: string }[]>(
        'SELECT statement FROM pg_prepared_statements ORDER BY prepare_time',
      )
    ).map((row) => row.statement);

  it('prepares a statement once it is hot, and runs it by name with fresh values', async () => {
    const insert = 'INSERT INTO items (id, name) VALUES ($1, $2) RETURNING name';
    expect(await dataSource.query(insert, [1, 'one'])).toEqual([{ name: 'one' }]);
    await dataSource.query(insert, [2, 'two']);
    expect(await preparedInSession()).toEqual([]);
    await dataSource.query(insert, [3, 'three']);
    expect(await dataSource.query(insert, [4, 'four'])).toEqual([{ name: 'four' }]);
    expect(await preparedInSession()).toEqual([insert]);
    const { rows } = await database.sql('SELECT id, name FROM items ORDER BY id');
    expect(rows).toEqual([
      { id: 1, name: 'one' },
      { id: 2, name: 'two' },
      { id: 3, name: 'three' },
      { id: 4, name: 'four' },
    ]);
  });

  it('keeps errors as TypeORM reports them, so their SQLSTATE still maps to an answer', async () => {
    const insert = 'INSERT INTO items (id, name) VALUES ($1, $2)';
    for (let id = 10; id < 13; id++) await dataSource.query(insert, [id, 'x']);
    const duplicate = await dataSource
      .query(insert, [10, 'again'])
      .catch((error: unknown) => error);
    expect(postgresErrorOf(duplicate)?.code).toBe('23505');
    // The connection and its prepared statement remain usable after the error.
    await dataSource.query(insert, [13, 'y']);
    expect(await database.sql('SELECT count(*)::int AS n FROM items WHERE id >= 10')).toMatchObject(
      { rows: [{ n: 4 }] },
    );
  });

  it('prepares at most perConnection statements on one connection', async () => {
    for (let i = 0; i < 3; i++) await dataSource.query('SELECT $1::int + 1 AS n', [i]);
    expect(await dataSource.query('SELECT $1::int + 1 AS n', [41])).toEqual([{ n: 42 }]);
    // Two statements are already prepared on this connection (the limit): this one runs unnamed.
    expect(await preparedInSession()).toHaveLength(2);
  });
});
