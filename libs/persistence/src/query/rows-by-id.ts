import { isUuid } from '../validation/uuid.js';

/**
 * The rows for `ids`, in the order of `ids`: null for an id without a row, or one that is not a
 * UUID. `read` runs once, with the well-formed ids (none: it does not run), and may return the
 * rows in any order; Postgres prints a UUID in lower case, so any case of an id finds its row.
 */
export async function rowsById<Row extends { id: string }>(
  ids: string[],
  read: (uuids: string[]) => Promise<Row[]>,
): Promise<(Row | null)[]> {
  const uuids = ids.filter(isUuid);
  const rows = uuids.length ? await read(uuids) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
}
