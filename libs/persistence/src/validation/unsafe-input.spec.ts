import {
  NUL_MESSAGE,
  SURROGATE_MESSAGE,
  findUnsafeInput,
  unsafeTextErrors,
} from './unsafe-input.js';

const options = { maxDepth: 64 };

function nested(levels: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let level = 0; level < levels; level++) value = { a: value };
  return value;
}

describe('findUnsafeInput', () => {
  it('walks 100,000 levels of nesting without overflowing the stack', () => {
    const deep = nested(100_000);
    expect(() => findUnsafeInput(deep, { maxDepth: 200_000 })).not.toThrow();
    expect(findUnsafeInput(deep, { maxDepth: 200_000 })).toEqual([]);
  });

  it('refuses nesting past the bound, naming where it starts, and stops descending there', () => {
    const problems = findUnsafeInput({ extraData: nested(100_000) }, options);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toBe('must not be nested deeper than 64 levels');
    expect(problems[0].field).toBe(['extraData', ...Array<string>(63).fill('a')].join('.'));
  });

  it('accepts exactly the bound, arrays included', () => {
    expect(findUnsafeInput(nested(64), options)).toEqual([]);
    expect(findUnsafeInput(nested(65), options)).toHaveLength(1);
    let array: unknown = [];
    for (let level = 1; level < 64; level++) array = [array];
    expect(findUnsafeInput(array, options)).toEqual([]);
    expect(findUnsafeInput([array], options)).toHaveLength(1);
  });

  it('finds a NUL in a nested value and in a nested key', () => {
    expect(findUnsafeInput({ extraData: { a: { b: 'x\u0000y' } } }, options)).toEqual([
      { field: 'extraData.a.b', message: NUL_MESSAGE },
    ]);
    expect(findUnsafeInput({ list: [{ ['k\u0000']: 1 }] }, options)).toEqual([
      { field: 'list.0.k\\u0000', message: `field name ${NUL_MESSAGE}` },
    ]);
  });

  it('finds lone high and low surrogates, at the start, middle and end', () => {
    for (const text of ['\ud800', 'a\ud83dz', 'end\udbff', '\udc00', 'a\ude00b', '\ude00\ud83d']) {
      expect(findUnsafeInput({ email: text }, options)).toEqual([
        { field: 'email', message: SURROGATE_MESSAGE },
      ]);
    }
  });

  it('accepts valid surrogate pairs (emoji) and ordinary text', () => {
    expect(
      findUnsafeInput({ name: 'Zoë 😀 𝄞', tags: ['ok', '🎉'], n: 1, b: null }, options),
    ).toEqual([]);
    expect(unsafeTextErrors('😀😀')).toEqual([]);
  });

  it('reports both problems of one string and caps the number of problems', () => {
    expect(unsafeTextErrors('\u0000\ud800')).toEqual([NUL_MESSAGE, SURROGATE_MESSAGE]);
    expect(findUnsafeInput({ name: '\u0000\ud800' }, options)).toEqual([
      { field: 'name', message: NUL_MESSAGE },
      { field: 'name', message: SURROGATE_MESSAGE },
    ]);
    const many = Array.from({ length: 1000 }, () => '\u0000');
    expect(findUnsafeInput(many, { maxDepth: 64, maxProblems: 5 })).toHaveLength(5);
  });

  it('checks a bare string too', () => {
    expect(findUnsafeInput('a\u0000', options)).toEqual([{ message: NUL_MESSAGE }]);
  });
});
