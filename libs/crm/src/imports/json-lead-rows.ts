import { jsonArrayElements } from './json-array-elements.js';
import { LeadFileError } from './lead-file-error.js';
import { SourceRow } from './source-row.js';

/** The rows of a streamed JSON array of leads; invalid JSON anywhere makes the file unreadable. */
export async function* jsonLeadRows(chunks: AsyncIterable<string>): AsyncGenerator<SourceRow> {
  let row = 0;
  for await (const element of jsonArrayElements(chunks)) {
    row++;
    let fields: unknown;
    try {
      fields = JSON.parse(element);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      throw new LeadFileError(
        `element ${row} of the JSON array is not valid JSON: ${error.message}`,
      );
    }
    yield { row, fields };
  }
}
