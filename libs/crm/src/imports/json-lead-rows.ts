import { jsonArrayElements } from './json-array-elements.js';
import { LeadFileError } from './lead-file-error.js';
import { type SourceRow } from './source-row.js';

/**
 * The rows of a streamed JSON array of leads, each with the line where it starts; invalid JSON
 * anywhere makes the file unreadable.
 */
export async function* jsonLeadRows(chunks: AsyncIterable<string>): AsyncGenerator<SourceRow> {
  let row = 0;
  for await (const { text, line } of jsonArrayElements(chunks)) {
    row++;
    let fields: unknown;
    try {
      fields = JSON.parse(text);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      throw new LeadFileError(
        `element ${row} of the JSON array is not valid JSON: ${error.message}`,
        lineOfError(error, text, line),
      );
    }
    yield { row, line, fields };
  }
}

/** The line of a parse error when the parser gives its position, else where the element starts. */
function lineOfError(error: SyntaxError, text: string, elementLine: number): number {
  const position = /at position (\d+)/.exec(error.message);
  if (!position) return elementLine;
  return elementLine + (text.slice(0, Number(position[1])).match(/\n/g)?.length ?? 0);
}
