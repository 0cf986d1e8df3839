import { type TestDatabase } from './test-database.js';

/** Makes `ownerId` the owner of the CRM lead of an application (as the workflow's round-robin would). */
export async function assignApplicationLead(
  database: TestDatabase,
  applicationId: string,
  ownerId: string,
): Promise<void> {
  const updated = await database.sql(
    `UPDATE mas_crm.leads SET owner_id = $2 WHERE application_id = $1`,
    [applicationId, ownerId],
  );
  if (updated.rowCount !== 1) throw new Error(`application ${applicationId} has no lead`);
}
