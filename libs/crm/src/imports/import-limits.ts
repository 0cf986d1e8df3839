/** Largest import request body, JSON or CSV (express body-parser syntax). */
export const MAX_IMPORT_BODY = '10mb';

/** Rows per HTTP request; larger files go through `npm run crm:import`, which streams them. */
export const MAX_IMPORT_ROWS_PER_REQUEST = 50_000;

/** Rows per INSERT statement and transaction. */
export const IMPORT_BATCH_SIZE = 5_000;

/**
 * Batches written at once, each on its own connection. One Postgres backend inserting into the
 * leads table (eight indexes, one of them GIN) is CPU-bound; a second one nearly doubles the rate.
 */
export const IMPORT_WRITERS = 2;

/** A CSV record or JSON element longer than this is refused rather than buffered. */
export const MAX_IMPORT_RECORD_CHARS = 64 * 1024;
