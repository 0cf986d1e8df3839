import {
  BadRequestException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { Readable } from 'node:stream';
import { csvLeadRows } from './csv-lead-rows.js';
import { MAX_IMPORT_ROWS_PER_REQUEST } from './import-limits.js';
import { LeadFileError } from './lead-file-error.js';
import { type SourceRow } from './source-row.js';

const ACCEPTED = 'a JSON array of leads (application/json) or CSV with a header row (text/csv)';
const ACCEPTED_TYPES = /^\s*(application\/json|text\/csv)\s*(;|$)/i;

/**
 * The rows of an import request, all read before any is written, so that a body that is empty,
 * unreadable or too long is a 4xx that imports nothing.
 */
export async function importRowsOfBody(
  body: unknown,
  contentType: string | undefined,
): Promise<SourceRow[]> {
  const rows =
    typeof body === 'string'
      ? await csvRowsOf(body)
      : Array.isArray(body)
        ? body.map((fields: unknown, index) => ({ row: index + 1, fields }))
        : refuse(body, contentType);
  if (!rows.length) throw new BadRequestException(`the body has no leads: send ${ACCEPTED}`);
  if (rows.length > MAX_IMPORT_ROWS_PER_REQUEST) {
    throw new PayloadTooLargeException(
      `at most ${MAX_IMPORT_ROWS_PER_REQUEST} leads per request; import larger files with npm run crm:import`,
    );
  }
  return rows;
}

/** Reads one row past the limit at most, which is enough to refuse the request. */
async function csvRowsOf(text: string): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  try {
    for await (const row of csvLeadRows(Readable.from([text]))) {
      rows.push(row);
      if (rows.length > MAX_IMPORT_ROWS_PER_REQUEST) break;
    }
  } catch (error) {
    if (error instanceof LeadFileError) throw new BadRequestException(error.message);
    throw error;
  }
  return rows;
}

function refuse(body: unknown, contentType: string | undefined): never {
  // Nest parses JSON, the import route CSV; any other type arrives unparsed.
  if (body === undefined && contentType && !ACCEPTED_TYPES.test(contentType)) {
    throw new UnsupportedMediaTypeException(`send ${ACCEPTED}`);
  }
  throw new BadRequestException(
    body === undefined ? `the body is empty: send ${ACCEPTED}` : `the body must be ${ACCEPTED}`,
  );
}
