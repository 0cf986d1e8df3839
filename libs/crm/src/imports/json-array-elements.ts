import { MAX_IMPORT_RECORD_CHARS } from './import-limits.js';
import { LeadFileError } from './lead-file-error.js';

const JSON_WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** before '[' → first element or ']' → element → (',' → next → element)* → ']' → after */
type Position = 'before' | 'first' | 'next' | 'element' | 'after';

/** The text of an element and the line (1-based) where it starts. */
export interface JsonElement {
  text: string;
  line: number;
}

/**
 * The text of each top-level element of a streamed JSON array, holding one element at a time
 * (JSON.parse would need the whole file). It only finds where elements begin and end, tracking
 * strings and nesting; each element's own syntax is left to JSON.parse. Lines end at "\n".
 */
export async function* jsonArrayElements(
  chunks: AsyncIterable<string>,
): AsyncGenerator<JsonElement> {
  let state = 'before' as Position;
  let line = 1;
  let elementLine = 1;
  let pending: string[] = [];
  let pendingLength = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let first = true;

  for await (const chunk of chunks) {
    let start = 0;
    for (let index = 0; index < chunk.length; index++) {
      const char = chunk[index];
      if (char === '\n') line++;
      if (state !== 'element') {
        if (JSON_WHITESPACE.has(char) || (first && char === '\uFEFF')) continue;
        first = false;
        if (state === 'before') {
          if (char !== '[') throw new LeadFileError('the JSON must be an array of leads', line);
          state = 'first';
          continue;
        }
        if (state === 'after') {
          throw new LeadFileError('the JSON continues after its array', line);
        }
        if (state === 'first' && char === ']') {
          state = 'after';
          continue;
        }
        if (char === ',' || char === ']')
          throw new LeadFileError('the JSON array has an empty element', line);
        state = 'element';
        elementLine = line;
        start = index; // and this character is the element's first
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (char === '\\') escaped = true;
        else if (char === '"') inString = false;
      } else if (char === '"') {
        inString = true;
      } else if (char === '{' || char === '[') {
        depth++;
      } else if (depth > 0 && (char === '}' || char === ']')) {
        depth--;
      } else if (depth === 0 && (char === ',' || char === ']')) {
        pending.push(chunk.slice(start, index));
        checkLength(pendingLength + index - start, elementLine);
        yield { text: pending.join(''), line: elementLine };
        pending = [];
        pendingLength = 0;
        state = char === ',' ? 'next' : 'after';
      }
    }
    if (state === 'element') {
      pending.push(chunk.slice(start));
      pendingLength += chunk.length - start;
      checkLength(pendingLength, elementLine);
    }
  }
  if (state === 'before') throw new LeadFileError('the JSON is empty: expected an array of leads');
  if (state === 'element') {
    throw new LeadFileError('the JSON ends inside the element that starts here', elementLine);
  }
  if (state !== 'after') throw new LeadFileError('the JSON array is not closed', line);
}

function checkLength(length: number, line: number): void {
  if (length > MAX_IMPORT_RECORD_CHARS) {
    throw new LeadFileError(
      `a JSON element is longer than ${MAX_IMPORT_RECORD_CHARS} characters`,
      line,
    );
  }
}
