import { IMPORTED_BALANCE_ROWS_SQL } from '../money/imported-balances.js';

/**
 * Per legacy table, the SQL that counts its staged rows that became native rows ("imported": a
 * native row with the legacy id exists). Wallets have no id of their own: a legacy `tokens` row
 * is imported when the wallet of the user it maps to exists.
 */
export const IMPORTED_ROWS_SQL: Record<string, string> = {
  users: byId('users', 'public.users'),
  tokens: IMPORTED_BALANCE_ROWS_SQL,
  mentors: byId('mentors', 'public.mentor_profiles'),
  slots: byId('slots', 'public.slots'),
  token_usage: byId('token_usage', 'public.token_usages'),
  colleges: byId('colleges', 'public.colleges'),
  courses: byId('courses', 'public.courses'),
  batches: byId('batches', 'public.batches'),
  applications: byId('applications', 'public.applications'),
  discount_requests: byId('discount_requests', 'public.discount_requests'),
  mas101_pap_workflows: byId('mas101_pap_workflows', 'public.mas101_pap_workflows'),
  leads: byId('leads', 'mas_crm.leads'),
};

function byId(staging: string, native: string): string {
  return `SELECT count(*)::int AS n FROM legacy_import."${staging}" s
           WHERE EXISTS (SELECT 1 FROM ${native} n WHERE n.id = s.id)`;
}
