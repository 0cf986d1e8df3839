import {
  migrateUnderLock,
  migrationStatus,
  openDataSource,
  revertLastUnderLock,
} from '@mas/persistence';
import { type DataSource } from 'typeorm';
import { createCliDatabase } from '../database/cli-data-source.js';

/** Opens the configured (or embedded) database, runs `work`, and always closes everything. */
export async function withDatabase<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const cli = await createCliDatabase();
  try {
    const dataSource = await openDataSource(cli.options, cli.config, cli.connection, {
      migrate: false,
    });
    try {
      return await work(dataSource);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await cli.stopServer();
  }
}

export function migrate(): Promise<number> {
  return withDatabase(async (dataSource) => {
    const { applied } = await migrateUnderLock(dataSource);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
    return 0;
  });
}

export function revert(): Promise<number> {
  return withDatabase(async (dataSource) => {
    const newest = (await migrationStatus(dataSource)).filter((row) => row.applied).at(-1);
    if (!newest) {
      console.log('no applied migrations');
      return 0;
    }
    await revertLastUnderLock(dataSource);
    console.log(`reverted: ${newest.name}`);
    return 0;
  });
}

export function status(): Promise<number> {
  return withDatabase(async (dataSource) => {
    const rows = await migrationStatus(dataSource);
    for (const row of rows) console.log(`${row.applied ? '[x]' : '[ ]'} ${row.name}`);
    const pending = rows.filter((row) => !row.applied).length;
    console.log(`${rows.length - pending} applied, ${pending} pending`);
    return 0;
  });
}
