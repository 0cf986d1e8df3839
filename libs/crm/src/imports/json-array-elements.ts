import { MAX_IMPORT_RECORD_CHARS } from './import-limits.js';
import { LeadFileError } from './lead-file-error.js';

const JSON_WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** before '[' → first element or ']' → element → (',' → next → element)* → ']' → after */
type Position = 'before' | 'first' | 'next' | 'element' | 'after';

/**
 * The text of each top-level element of a streamed JSON array, holding one element at a time
 * (JSON.parse would need the whole file). It only finds where elements begin and end, tracking
 * strings and nesting; each element's own syntax is left to JSON.parse.
 */
export async function* jsonArrayElements(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let state = 'before' as Position;
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
      if (state !== 'element') {
        if (JSON_WHITESPACE.has(char) || (first && char === '\uFEFF')) continue;
        first = false;
        if (state === 'before') {
          if (char !== '[') throw new LeadFileError('the JSON must be an array of leads');
          state = 'first';
          continue;
        }
        if (state === 'after') throw new LeadFileError('the JSON continues after its array');
        if (state === 'first' && char === ']') {
          state = 'after';
          continue;
        }
        if (char === ',' || char === ']')
          throw new LeadFileError('the JSON array has an empty element');
        state = 'element';
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
        checkLength(pendingLength + index - start);
        yield pending.join('');
        pending = [];
        pendingLength = 0;
        state = char === ',' ? 'next' : 'after';
      }
    }
    if (state === 'element') {
      pending.push(chunk.slice(start));
      pendingLength += chunk.length - start;
      checkLength(pendingLength);
    }
  }
  if (state === 'before') throw new LeadFileError('the JSON is empty: expected an array of leads');
  if (state !== 'after') throw new LeadFileError('the JSON array is not closed');
}

function checkLength(length: number): void {
  if (length > MAX_IMPORT_RECORD_CHARS) {
    throw new LeadFileError(`a JSON element is longer than ${MAX_IMPORT_RECORD_CHARS} characters`);
  }
}
