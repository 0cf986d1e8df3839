import type pg from 'pg';

/** The books as one snapshot sees them: what a restore must reproduce exactly. */
export interface MoneyFacts {
  wallets: number;
  walletBalanceTotal: string;
  ledgerRows: number;
  ledgerDeltaTotal: string;
  /** Wallets whose balance is not the sum of their ledger deltas (the invariant: 0). */
  walletsOffLedger: number;
}

export interface DatabaseFacts {
  serverVersion: string;
  /** Applied migrations, oldest first; the last one is the schema's head. */
  migrations: string[];
  /** null when the schema has no token books (a database before the finance migration). */
  money: MoneyFacts | null;
  /**
   * Every constraint, user trigger and index, as `schema.table kind name`: the invariants that live in
   * the schema (the append-only ledger trigger, the slots' exclusion constraint, …) must be back.
   */
  guards: string[];
}

export const APPEND_ONLY_TRIGGER = 'public.token_usages trigger token_usages_append_only enabled';
export const NO_TRUNCATE_TRIGGER = 'public.token_usages trigger token_usages_no_truncate enabled';
export const SLOT_EXCLUSION = 'public.slots exclusion excl_slots_mentor_no_overlap';

const MONEY = `
  SELECT (SELECT count(*) FROM public.token_wallets)::int AS wallets,
         (SELECT coalesce(sum(balance), 0) FROM public.token_wallets)::text AS "walletBalanceTotal",
         (SELECT count(*) FROM public.token_usages)::int AS "ledgerRows",
         (SELECT coalesce(sum(delta), 0) FROM public.token_usages)::text AS "ledgerDeltaTotal",
         (SELECT count(*) FROM public.token_wallets w
            LEFT JOIN (SELECT user_id, sum(delta) AS total FROM public.token_usages GROUP BY user_id) l
                   USING (user_id)
           WHERE w.balance <> coalesce(l.total, 0))::int AS "walletsOffLedger"`;

const GUARDS = `
  SELECT format('%s.%s %s %s', n.nspname, c.relname,
                CASE k.contype WHEN 'c' THEN 'check' WHEN 'f' THEN 'foreign-key'
                               WHEN 'p' THEN 'primary-key' WHEN 'u' THEN 'unique'
                               WHEN 'x' THEN 'exclusion' ELSE 'constraint-' || k.contype::text END,
                k.conname) AS guard
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   -- PostgreSQL 18 lists NOT NULL as constraints ('n'), older servers do not: compared elsewhere
   -- they would make every restore across that line differ.
   WHERE k.contype <> 'n' AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
  UNION ALL
  SELECT format('%s.%s trigger %s %s', n.nspname, c.relname, t.tgname,
                CASE t.tgenabled WHEN 'D' THEN 'disabled' ELSE 'enabled' END)
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE NOT t.tgisinternal AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
  UNION ALL
  SELECT format('%s.%s index %s', n.nspname, t.relname, c.relname)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
   ORDER BY 1`;

/** Reads the facts inside the caller's transaction, so they belong to its snapshot. */
export async function readDatabaseFacts(client: pg.ClientBase): Promise<DatabaseFacts> {
  const { rows: server } = await client.query<{ version: string }>(
    "SELECT current_setting('server_version') AS version",
  );
  const { rows: present } = await client.query<{ migrations: boolean; books: boolean }>(`
    SELECT to_regclass('public.migrations') IS NOT NULL AS migrations,
           to_regclass('public.token_wallets') IS NOT NULL
             AND to_regclass('public.token_usages') IS NOT NULL AS books`);
  const migrations = present[0].migrations
    ? (await client.query<{ name: string }>('SELECT name FROM public.migrations ORDER BY id')).rows
    : [];
  const money = present[0].books ? (await client.query<MoneyFacts>(MONEY)).rows[0] : null;
  const { rows: guards } = await client.query<{ guard: string }>(GUARDS);
  return {
    serverVersion: server[0].version,
    migrations: migrations.map((row) => row.name),
    money,
    guards: guards.map((row) => row.guard),
  };
}
