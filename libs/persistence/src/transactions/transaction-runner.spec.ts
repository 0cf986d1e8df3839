import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { postgresErrorOf } from '../errors/postgres-errors.js';
import { TransactionRunner } from './transaction-runner.js';

describe('TransactionRunner on a real database', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let runner: TransactionRunner;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
    await database.sql('CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)');
    dataSource = await new DataSource({
      type: 'postgres',
      url: database.url,
      extra: { max: 6 },
    }).initialize();
    runner = new TransactionRunner(dataSource);
  });

  beforeEach(async () => {
    await database.sql('TRUNCATE accounts');
    await database.sql('INSERT INTO accounts VALUES (1, 100), (2, 100)');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('retries the victim of a real deadlock, so both transfers commit', async () => {
    let attempts = 0;
    let bothHoldFirstLock!: () => void;
    const barrier = new Promise<void>((resolve) => (bothHoldFirstLock = resolve));
    let holding = 0;

    const transfer = (from: number, to: number) =>
      runner.run(async (tx) => {
        attempts++;
        await tx.query('UPDATE accounts SET balance = balance - 10 WHERE id = $1', [from]);
        if (++holding === 2) bothHoldFirstLock();
        await barrier;
        await tx.query('UPDATE accounts SET balance = balance + 10 WHERE id = $1', [to]);
      });

    await Promise.all([transfer(1, 2), transfer(2, 1)]);
    // At least one retry. A victim retrying at once can take its first row again before the
    // survivor is granted it, and deadlock a second time: both still commit, once each.
    expect(attempts).toBeGreaterThanOrEqual(3);
    const { rows } = await database.sql('SELECT id, balance FROM accounts ORDER BY id');
    expect(rows).toEqual([
      { id: 1, balance: 100 },
      { id: 2, balance: 100 },
    ]);
  });

  it('gives up after maxAttempts and surfaces the serialization failure', async () => {
    let attempts = 0;
    const failing = runner.run(
      async (tx) => {
        attempts++;
        await tx.query(
          `DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$`,
        );
      },
      { maxAttempts: 2 },
    );
    const error: unknown = await failing.catch((caught: unknown) => caught);
    expect(postgresErrorOf(error)?.code).toBe('40001');
    expect(attempts).toBe(2);
  });

  it('does not retry other errors', async () => {
    let attempts = 0;
    await expect(
      runner.run(async (tx) => {
        attempts++;
        await tx.query('INSERT INTO accounts VALUES (1, 5)');
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(attempts).toBe(1);
  });

  it('joins an outer transaction: an inner write rolls back with the outer one', async () => {
    await expect(
      runner.run(async (outer) => {
        await runner.run(
          async (inner) => {
            expect(inner).toBe(outer);
            await inner.query('UPDATE accounts SET balance = 0 WHERE id = 1');
          },
          { within: outer },
        );
        throw new Error('outer fails after the inner write');
      }),
    ).rejects.toThrow('outer fails');
    const { rows } = await database.sql('SELECT balance FROM accounts WHERE id = 1');
    expect(rows[0].balance).toBe(100);
  });
});
