/**
 * SQL for the legacy ids that became native application `m.application_id` (itself and the
 * duplicates merged into it), as an array: `= ANY (ARRAY(...))` makes Postgres look each one up in
 * the staged table's index instead of hashing the whole table, whatever its statistics say.
 */
export const LEGACY_IDS_OF_APPLICATION = `ARRAY(
  SELECT om.legacy_id FROM legacy_import.application_map om WHERE om.application_id = m.application_id)`;
