import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { csvLeadRows } from './csv-lead-rows.js';
import { jsonLeadRows } from './json-lead-rows.js';
import { LeadFileError } from './lead-file-error.js';
import { type SourceRow } from './source-row.js';

/** The rows of a .csv or .json lead file, streamed; each call reads the file afresh. */
export function leadFileRows(path: string): AsyncGenerator<SourceRow> {
  switch (extname(path).toLowerCase()) {
    case '.csv':
      return csvLeadRows(createReadStream(path));
    case '.json':
      return jsonLeadRows(createReadStream(path, { encoding: 'utf8' }));
    default:
      throw new LeadFileError(`${path}: lead files end in .csv or .json`);
  }
}
