/**
 * The old backend's tables the import copies, in copy order. `name` is the staging table in schema
 * `legacy_import` (the same quoted camelCase columns) and the table's name in the report;
 * `source` is where the old database keeps it.
 */
export interface LegacyTable {
  name: string;
  source: { schema: string; table: string };
}

const inPublic = (name: string): LegacyTable => ({
  name,
  source: { schema: 'public', table: name },
});

export const LEGACY_TABLES: readonly LegacyTable[] = [
  inPublic('users'),
  inPublic('tokens'),
  inPublic('mentors'),
  inPublic('slots'),
  inPublic('token_usage'),
  inPublic('colleges'),
  inPublic('courses'),
  inPublic('batches'),
  inPublic('applications'),
  inPublic('discount_requests'),
  inPublic('mas101_pap_workflows'),
  { name: 'leads', source: { schema: 'mas_crm', table: 'leads' } },
];

export function qualifiedSource(table: LegacyTable): string {
  return `"${table.source.schema}"."${table.source.table}"`;
}
