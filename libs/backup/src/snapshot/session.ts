import type pg from 'pg';

/**
 * Settings that make COPY text the same on every server and client: the backup, the restore and
 * the verification all run with them, whatever the server's defaults.
 */
const PORTABLE_TEXT = [
  "SET TimeZone = 'UTC'",
  "SET DateStyle = 'ISO, YMD'",
  "SET IntervalStyle = 'postgres'",
  'SET extra_float_digits = 3',
  "SET bytea_output = 'hex'",
  "SET client_encoding = 'UTF8'",
  'SET standard_conforming_strings = on',
  // A backup or restore of a large database is one long statement or transaction by design.
  'SET statement_timeout = 0',
  'SET lock_timeout = 0',
  'SET idle_in_transaction_session_timeout = 0',
];

export async function usePortableSession(client: pg.ClientBase): Promise<void> {
  for (const statement of PORTABLE_TEXT) await client.query(statement);
}
