import { type ImportContext, type ImportStep, phasesOf } from '@mas/legacy';
import type { TestDatabase } from './test-database.js';

export const LEGACY_CONTEXT: ImportContext = { timezone: 'UTC', batchSize: 2 };

/**
 * Runs the phases of `steps` to the end, one after the other, on a migrated test database whose
 * `legacy_import` staging tables the test filled, one transaction per batch as the import does (a
 * small batch size by default, so batch boundaries are crossed).
 */
export async function runPhases(
  database: TestDatabase,
  steps: readonly ImportStep[],
  context: ImportContext = LEGACY_CONTEXT,
): Promise<void> {
  const client = await database.session();
  try {
    for (const phase of steps.flatMap(phasesOf)) {
      let key: string | null = null;
      for (;;) {
        await client.query('BEGIN');
        const batch = await phase.runBatch(client, key, context);
        await client.query('COMMIT');
        if (!batch.units) break;
        key = batch.lastKey;
      }
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
