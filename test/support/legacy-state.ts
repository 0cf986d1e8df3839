import type { TestDatabase } from './test-database.js';

/** The native tables the import writes, with what makes one of their rows a legacy row. */
const NATIVE_TABLES: { table: string; legacy: string; strip?: string[] }[] = [
  { table: 'public.users', legacy: 'id IN (SELECT id FROM legacy_import.users)' },
  {
    table: 'public.token_wallets',
    legacy: 'user_id IN (SELECT user_id FROM legacy_import.user_map)',
    strip: ['user_id'],
  },
  { table: 'public.token_usages', legacy: 'id IN (SELECT id FROM legacy_import.token_usage)' },
  { table: 'public.mentor_profiles', legacy: 'id IN (SELECT id FROM legacy_import.mentors)' },
  { table: 'public.slots', legacy: 'id IN (SELECT id FROM legacy_import.slots)' },
  { table: 'public.colleges', legacy: 'id IN (SELECT id FROM legacy_import.colleges)' },
  { table: 'public.courses', legacy: 'id IN (SELECT id FROM legacy_import.courses)' },
  { table: 'public.batches', legacy: 'id IN (SELECT id FROM legacy_import.batches)' },
  { table: 'public.applications', legacy: 'id IN (SELECT id FROM legacy_import.applications)' },
  {
    table: 'public.discount_requests',
    legacy: 'id IN (SELECT id FROM legacy_import.discount_requests)',
  },
  {
    table: 'public.mas101_pap_workflows',
    legacy: 'id IN (SELECT id FROM legacy_import.mas101_pap_workflows)',
  },
  { table: 'mas_crm.leads', legacy: 'id IN (SELECT id FROM legacy_import.leads)' },
];

const STAGING = [
  'users',
  'tokens',
  'mentors',
  'slots',
  'token_usage',
  'colleges',
  'courses',
  'batches',
  'applications',
  'discount_requests',
  'mas101_pap_workflows',
  'leads',
];

/**
 * A fingerprint (md5 of the ordered rows) per table of everything the import writes, comparable
 * between two target databases. Legacy rows are compared whole but for entry_no (a sequence:
 * a killed batch burns numbers; only the order matters). Rows the import or the app made up
 * (the seeded admin, adjustment rows) lose their generated id and secrets, and any timestamp
 * written after `since` (the time of the import itself) is left out.
 */
export async function importState(db: TestDatabase, since: Date): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  const fingerprint = async (name: string, rowsSql: string, values: unknown[] = []) => {
    const { rows } = await db.sql(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) AS h
         FROM (${rowsSql}) x(r)`,
      values,
    );
    state[name] = `${rows[0].n}:${rows[0].h}`;
  };
  for (const table of STAGING)
    await fingerprint(`legacy_import.${table}`, `SELECT t::text FROM legacy_import."${table}" t`);
  await fingerprint('legacy_import.user_map', 'SELECT t::text FROM legacy_import.user_map t');
  await fingerprint(
    'legacy_import.report_items',
    `SELECT concat_ws(' ', table_name, legacy_id, outcome, reason) FROM legacy_import.report_items`,
  );
  await fingerprint(
    'legacy_import.checkpoints',
    `SELECT concat_ws(' ', step, last_key, units_done, done) FROM legacy_import.checkpoints`,
  );
  for (const { table, legacy, strip = [] } of NATIVE_TABLES) {
    const madeUp = ['id', 'entry_no', 'password_hash', ...strip];
    await fingerprint(
      table,
      `SELECT (j - CASE WHEN (j->>'created_at')::timestamptz >= $1 THEN 'created_at' ELSE '' END
                 - CASE WHEN (j->>'updated_at')::timestamptz >= $1 THEN 'updated_at' ELSE '' END)::text
         FROM (SELECT CASE WHEN ${legacy} THEN to_jsonb(t) - 'entry_no'
                           ELSE to_jsonb(t) - $2::text[] END AS j
                 FROM ${table} t) rows`,
      [since, madeUp],
    );
  }
  return state;
}
