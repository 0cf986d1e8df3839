import { type LiteralValue } from './expression.js';
import { ExpressionError } from './expression-error.js';

export type Punctuator = '||' | '&&' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '!' | '(' | ')';

/** `text` is the token's exact source text; `end` has empty text at the source's length. */
export type Token =
  | {
      readonly kind: 'literal';
      readonly value: LiteralValue;
      readonly text: string;
      readonly position: number;
    }
  | {
      readonly kind: 'path';
      readonly segments: string[];
      readonly text: string;
      readonly position: number;
    }
  | { readonly kind: 'punctuator'; readonly text: Punctuator; readonly position: number }
  | { readonly kind: 'end'; readonly text: ''; readonly position: number };

// Longest first, so `<=` is not read as `<` followed by `=`.
const PUNCTUATORS: readonly Punctuator[] = [
  '||',
  '&&',
  '==',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  '!',
  '(',
  ')',
];
const KEYWORDS: ReadonlyMap<string, LiteralValue> = new Map([
  ['true', true],
  ['false', false],
  ['null', null],
]);
const HINTS: Readonly<Record<string, string>> = {
  '=': 'use "==" to compare',
  '&': 'use "&&"',
  '|': 'use "||"',
};

const WHITESPACE = /\s/;
const IDENTIFIER_START = /[A-Za-z_]/;
// A number is read up to the end of its "word", so `1.2.3` or `12abc` fail as one bad number.
const NUMBER_WORD = /[0-9][A-Za-z0-9_.]*/y;
const NUMBER = /^[0-9]+(?:\.[0-9]+)?$/;
const PATH = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    if (WHITESPACE.test(source.charAt(index))) {
      index += 1;
      continue;
    }
    const token = readToken(source, index);
    tokens.push(token);
    index += token.text.length;
  }
  tokens.push({ kind: 'end', text: '', position: source.length });
  return tokens;
}

function readToken(source: string, start: number): Token {
  const char = source.charAt(start);
  if (char === '"' || char === "'") return readString(source, start);
  if (char >= '0' && char <= '9') return readNumber(source, start);
  if (IDENTIFIER_START.test(char)) return readPath(source, start);
  const punctuator = PUNCTUATORS.find((candidate) => source.startsWith(candidate, start));
  if (punctuator) return { kind: 'punctuator', text: punctuator, position: start };
  const shown = String.fromCodePoint(source.codePointAt(start) ?? 0);
  throw new ExpressionError(`unexpected ${JSON.stringify(shown)}`, start, HINTS[char]);
}

function readString(source: string, start: number): Token {
  const quote = source.charAt(start);
  let value = '';
  let index = start + 1;
  while (index < source.length) {
    const char = source.charAt(index);
    if (char === quote) {
      return { kind: 'literal', value, text: source.slice(start, index + 1), position: start };
    }
    if (char === '\\') {
      const escaped = source.charAt(index + 1);
      if (escaped === '') break;
      if (escaped !== '\\' && escaped !== '"' && escaped !== "'") {
        throw new ExpressionError(
          `invalid escape "${char}${escaped}"`,
          index,
          'only \\\\, \\" and \\\' are allowed',
        );
      }
      value += escaped;
      index += 2;
      continue;
    }
    value += char;
    index += 1;
  }
  throw new ExpressionError('unterminated string', start);
}

function readNumber(source: string, start: number): Token {
  NUMBER_WORD.lastIndex = start;
  const text = NUMBER_WORD.exec(source)?.[0] ?? '';
  const value = Number(text);
  if (!NUMBER.test(text) || !Number.isFinite(value)) {
    throw new ExpressionError(`invalid number ${JSON.stringify(text)}`, start);
  }
  return { kind: 'literal', value, text, position: start };
}

function readPath(source: string, start: number): Token {
  PATH.lastIndex = start;
  const text = PATH.exec(source)?.[0] ?? '';
  const end = start + text.length;
  if (source.charAt(end) === '.') {
    throw new ExpressionError('expected a name after "."', end + 1);
  }
  const segments = text.split('.');
  const keyword = KEYWORDS.get(segments[0]);
  if (keyword === undefined) return { kind: 'path', segments, text, position: start };
  if (segments.length > 1) {
    throw new ExpressionError('unexpected "."', start + segments[0].length);
  }
  return { kind: 'literal', value: keyword, text, position: start };
}
