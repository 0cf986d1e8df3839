/**
 * The old backend's tables the import copies, in copy order. `name` is the staging table in schema
 * `legacy_import` (the same quoted camelCase columns) and the table's name in the report;
 * `source` is where the old database keeps it.
 */
export interface LegacyTable {
  name: string;
  source: { schema: string; table: string };
  /**
   * The staging index a phase reads this table by, many rows per key: once copied, the table is
   * rewritten in that index's order (CLUSTER), so those reads touch a few pages instead of one
   * page per row.
   */
  readBy?: string;
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
  { ...inPublic('token_usage'), readBy: 'idx_legacy_token_usage_user_id' },
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
