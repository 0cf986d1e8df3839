import {
  evaluateExpression,
  ExpressionError,
  isTruthy,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  parseExpression,
  referencedPaths,
} from './index.js';

const scope: Record<string, unknown> = {
  signals: { reviewed: { decision: 'approved', score: 7 } },
  steps: { assign_owner: { ownerId: 'u1', count: 0, tags: ['a'] } },
  flag: true,
  off: false,
  nothing: null,
};

function run(source: string, values: Record<string, unknown> = scope): unknown {
  return evaluateExpression(parseExpression(source), values);
}

function syntaxError(source: string): ExpressionError {
  try {
    parseExpression(source);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} not to parse`);
}

describe('expressions', () => {
  describe('literals and paths', () => {
    it.each([
      ['42', 42],
      ['3.25', 3.25],
      ['true', true],
      ['false', false],
      ['null', null],
      ['"double"', 'double'],
      ["'single'", 'single'],
      ['signals.reviewed.decision', 'approved'],
      ['steps.assign_owner.ownerId', 'u1'],
      ['  flag  ', true],
    ])('%s evaluates to %p', (source, expected) => {
      expect(run(source)).toEqual(expected);
    });

    it('reads backslash escapes for quotes and backslash in either quote style', () => {
      expect(run(String.raw`"say \"hi\" \\ it's"`)).toBe(String.raw`say "hi" \ it's`);
      expect(run(String.raw`'it\'s \"x\"'`)).toBe(`it's "x"`);
      expect(run(`"a || b" == 'a || b'`)).toBe(true);
    });

    it('resolves a missing path to undefined, equal to null', () => {
      expect(run('signals.missing.decision')).toBeUndefined();
      expect(run('signals.reviewed.decision.length')).toBeUndefined();
      expect(run('nope == null')).toBe(true);
      expect(run('nothing == null')).toBe(true);
      expect(run('nope != null')).toBe(false);
      expect(run('nope == false')).toBe(false);
    });

    it('never walks prototypes, accessors or non-plain objects', () => {
      for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
        expect(run(`${key} == null`, {})).toBe(true);
        expect(run(`signals.${key}.name == null`)).toBe(true);
      }
      expect(run('steps.assign_owner.tags.length == null')).toBe(true);
      expect(run('when.getTime == null', { when: new Date() })).toBe(true);
      let getterCalls = 0;
      const withGetter = Object.defineProperty({}, 'hidden', {
        get: () => (getterCalls += 1),
        enumerable: true,
      });
      expect(run('hidden == null', withGetter)).toBe(true);
      expect(getterCalls).toBe(0);
      expect(run('x == 1', Object.assign(Object.create(null), { x: 1 }))).toBe(true);
    });
  });

  describe('operators', () => {
    it('binds || loosest, then &&, then equality, then ordering, then !', () => {
      expect(run('true || false && false')).toBe(true);
      expect(run('(true || false) && false')).toBe(false);
      expect(run('1 < 2 == true')).toBe(true);
      expect(run('!flag == false')).toBe(true);
      expect(run('!(flag == false)')).toBe(true);
      expect(
        run('off || signals.reviewed.score >= 7 && signals.reviewed.decision == "approved"'),
      ).toBe(true);
      expect(run('!!flag')).toBe(true);
    });

    it('returns booleans from &&, || and !', () => {
      expect(run('steps.assign_owner.ownerId && signals.reviewed.score')).toBe(true);
      expect(run('steps.assign_owner.count || nope')).toBe(false);
      expect(run('!steps.assign_owner.ownerId')).toBe(false);
    });

    it('uses strict equality', () => {
      expect(run('signals.reviewed.score == 7')).toBe(true);
      expect(run('signals.reviewed.score == "7"')).toBe(false);
      expect(run('steps.assign_owner.count == false')).toBe(false);
      expect(run('"" == false')).toBe(false);
      expect(run('signals.reviewed == signals.reviewed')).toBe(true);
      expect(run('signals.reviewed != steps.assign_owner')).toBe(true);
    });

    it('orders only two numbers or two strings', () => {
      expect(run('1.5 < 2')).toBe(true);
      expect(run('2 <= 2')).toBe(true);
      expect(run('"b" > "a"')).toBe(true);
      expect(run('"a" >= "b"')).toBe(false);
      for (const source of [
        '"10" > 9',
        '9 < "10"',
        'nope < 1',
        'nope >= 0',
        'null <= 0',
        'true > false',
      ]) {
        expect(run(source)).toBe(false);
      }
    });

    it('exposes JavaScript truthiness', () => {
      expect([0, '', null, undefined, false, Number.NaN].map(isTruthy)).toEqual(
        Array(6).fill(false),
      );
      expect([1, 'false', {}, [], true].map(isTruthy)).toEqual(Array(5).fill(true));
    });
  });

  describe('syntax errors', () => {
    it.each([
      ['', 'expression is empty at 0', 0],
      ['   ', 'expression is empty at 0', 0],
      ['"open', 'unterminated string at 0', 0],
      ["a == 'it\\'s", 'unterminated string at 5', 5],
      ['"bad \\n"', 'invalid escape "\\n" at 5 (only \\\\, \\" and \\\' are allowed)', 5],
      ['a == (b || c))', 'unexpected ")" at 13 (no "(" to close)', 13],
      ['a b', 'unexpected "b" at 2 (expected an operator)', 2],
      ['a ==', 'unexpected end of expression at 4', 4],
      ['|| a', 'unexpected "||" at 0', 0],
      ['()', 'unexpected ")" at 1', 1],
      ['(a && b', 'unexpected end of expression at 7 (missing ")" for the "(" at 0)', 7],
      ['a = 1', 'unexpected "=" at 2 (use "==" to compare)', 2],
      ['a & b', 'unexpected "&" at 2 (use "&&")', 2],
      ['a + 1', 'unexpected "+" at 2', 2],
      ['f(1)', 'unexpected "(" at 1 (expected an operator)', 1],
      ['a[0]', 'unexpected "[" at 1', 1],
      ['a.', 'expected a name after "." at 2', 2],
      ['a..b', 'expected a name after "." at 2', 2],
      ['a.1', 'expected a name after "." at 2', 2],
      ['true.x', 'unexpected "." at 4', 4],
      ['1.', 'invalid number "1." at 0', 0],
      ['x > 1.2.3', 'invalid number "1.2.3" at 4', 4],
      ['12abc', 'invalid number "12abc" at 0', 0],
      ['1 < 2 < 3', 'unexpected "<" at 6 (comparisons cannot be chained; use parentheses)', 6],
      ['a == b != c', 'unexpected "!=" at 7 (comparisons cannot be chained; use parentheses)', 7],
    ])('%p fails with %p', (source, message, position) => {
      const error = syntaxError(source);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('ExpressionError');
      expect(error.message).toBe(message);
      expect(error.position).toBe(position);
    });

    it('limits the source length', () => {
      const longest = `a == "${'x'.repeat(MAX_EXPRESSION_LENGTH - 7)}"`;
      expect(longest).toHaveLength(MAX_EXPRESSION_LENGTH);
      expect(run(longest, { a: 'x'.repeat(MAX_EXPRESSION_LENGTH - 7) })).toBe(true);
      const error = syntaxError(`${longest} `);
      expect(error.message).toBe('expression is longer than 500 characters at 500');
      expect(error.position).toBe(500);
    });

    it('limits nesting of parentheses and !', () => {
      const deepest = `${'('.repeat(MAX_EXPRESSION_DEPTH)}flag${')'.repeat(MAX_EXPRESSION_DEPTH)}`;
      expect(run(deepest)).toBe(true);
      expect(run(`${'!'.repeat(MAX_EXPRESSION_DEPTH)}flag`)).toBe(true);
      expect(
        run(
          `${'!'.repeat(MAX_EXPRESSION_DEPTH / 2)}${'('.repeat(MAX_EXPRESSION_DEPTH / 2)}flag${')'.repeat(MAX_EXPRESSION_DEPTH / 2)}`,
        ),
      ).toBe(true);

      const tooDeep = syntaxError(`(${deepest})`);
      expect(tooDeep.message).toBe('expression is nested more than 32 levels deep at 32');
      expect(tooDeep.position).toBe(MAX_EXPRESSION_DEPTH);
      expect(syntaxError(`a && ${'!'.repeat(MAX_EXPRESSION_DEPTH + 1)}b`).position).toBe(
        5 + MAX_EXPRESSION_DEPTH,
      );
    });

    it('allows long flat chains', () => {
      const chain = Array.from({ length: 60 }, (_, i) => `v${i}`).join(' || ');
      expect(run(chain, { v59: 1 })).toBe(true);
    });
  });

  describe('referencedPaths', () => {
    it('lists each dotted path once, in order of appearance', () => {
      const expression = parseExpression(
        '!(signals.reviewed.decision == "approved") || steps.assign_owner.ownerId != null && signals.reviewed.decision != "x" && "steps.fake" == flag',
      );
      expect(referencedPaths(expression)).toEqual([
        'signals.reviewed.decision',
        'steps.assign_owner.ownerId',
        'flag',
      ]);
    });

    it('is empty for literals', () => {
      expect(referencedPaths(parseExpression('true && (1 < 2)'))).toEqual([]);
    });
  });
});
