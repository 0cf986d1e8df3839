import fc from 'fast-check';
import { type Operation, type Schema } from './openapi-operations.js';
import { plausibleObject, wrongQueryText, wrongValue } from './schema-values.js';

/** One request as it goes on the wire: a raw path (with query) and an optional raw body. */
export interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  contentType?: string;
  body?: string;
}

type Category = (
  operation: Operation,
  resolve: (schema: Schema) => Schema,
) => fc.Arbitrary<FuzzRequest> | null;

const JSON_TYPE = 'application/json';
const DEEP_LEVELS = 2_000;

/** Percent-encodes the UTF-8 bytes of a text (a lone surrogate becomes U+FFFD, as browsers do). */
export function encodeComponent(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** Escapes that do not decode: bad hex, truncated, and a UTF-8-encoded lone surrogate. */
const MALFORMED_ESCAPES = ['%ZZ', '%', '%E0%A4%A', '%ED%A0%80', '%C0%AF', 'a%FFb'];

const malformedPathParameter: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('not-a-uuid', '%00', 'a%00b', '0', '-1', 'x'.repeat(300), '%F0%9F%98%80'),
  fc.constantFrom(...MALFORMED_ESCAPES),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map(encodeComponent),
);

const validPathParameter = fc.uuid();

function pathOf(operation: Operation, parameters: string[], query = ''): string {
  let index = 0;
  const path = operation.template.replace(/\{[^}]+\}/g, () => parameters[index++] ?? 'x');
  return query ? `${path}?${query}` : path;
}

const pathParameters = (operation: Operation, parameter: fc.Arbitrary<string>) =>
  fc.array(parameter, {
    minLength: operation.pathParameters.length,
    maxLength: operation.pathParameters.length,
  });

function queryCategory(
  kind: string,
  text: (name: string) => fc.Arbitrary<string>,
  onlyDeclared = true,
): Category {
  return (operation) => {
    const names = operation.query.map((parameter) => parameter.name);
    if (onlyDeclared && !names.length) return null;
    return fc
      .record({
        parameters: pathParameters(operation, validPathParameter),
        name: fc.constantFrom(...(names.length ? names : ['q'])),
      })
      .chain(({ parameters, name }) =>
        text(name).map((query) => ({
          kind,
          method: operation.method,
          path: pathOf(operation, parameters, query),
        })),
      );
  };
}

/** The body the operation expects, with every property plausible; `{}` for bodiless ones. */
function baseBody(operation: Operation, resolve: (schema: Schema) => Schema): unknown {
  if (!operation.body) return {};
  const schema = resolve(operation.body);
  if (schema.type === 'array' && schema.items) return [plausibleObject(schema.items, resolve)];
  return plausibleObject(schema, resolve);
}

function propertyNames(operation: Operation, resolve: (schema: Schema) => Schema): string[] {
  const schema = operation.body && resolve(operation.body);
  const object = schema?.type === 'array' && schema.items ? resolve(schema.items) : schema;
  const names = Object.keys(object?.properties ?? {});
  return names.length ? names : ['field'];
}

const PLACEHOLDER = '\u0001placeholder';

/** The base body as JSON text with one property's value replaced by raw JSON text. */
function bodyWith(base: unknown, property: string, rawValue: string): string {
  const target = Array.isArray(base) ? { ...(base[0] as object) } : { ...(base as object) };
  // defineProperty: plain assignment to "__proto__" would set the prototype, not a key.
  Object.defineProperty(target, property, { value: PLACEHOLDER, enumerable: true });
  const text = JSON.stringify(Array.isArray(base) ? [target] : target);
  return text.replace(JSON.stringify(PLACEHOLDER), rawValue);
}

function bodyCategory(
  kind: string,
  value: (property: string) => fc.Arbitrary<string>,
  { bodilessToo = false, properties }: { bodilessToo?: boolean; properties?: string[] } = {},
): Category {
  return (operation, resolve) => {
    if (!operation.body && !bodilessToo) return null;
    const base = baseBody(operation, resolve);
    return fc
      .record({
        parameters: pathParameters(operation, validPathParameter),
        property: fc.constantFrom(...(properties ?? propertyNames(operation, resolve))),
      })
      .chain(({ parameters, property }) =>
        value(property).map((raw) => ({
          kind,
          method: operation.method,
          path: pathOf(operation, parameters),
          contentType: JSON_TYPE,
          body: bodyWith(base, property, raw),
        })),
      );
  };
}

function wholeBodyCategory(
  kind: string,
  texts: fc.Arbitrary<{ body: string; contentType: string }>,
  { bodilessToo = false } = {},
): Category {
  return (operation) =>
    operation.body || bodilessToo
      ? fc
          .record({ parameters: pathParameters(operation, validPathParameter), sent: texts })
          .map(({ parameters, sent }) => ({
            kind,
            method: operation.method,
            path: pathOf(operation, parameters),
            ...sent,
          }))
      : null;
}

/** `levels` nested objects or arrays around a leaf, as JSON text built without recursion. */
export function deepJson(levels: number, container: 'object' | 'array', leaf = '1'): string {
  return container === 'object'
    ? '{"a":'.repeat(levels) + leaf + '}'.repeat(levels)
    : '['.repeat(levels) + leaf + ']'.repeat(levels);
}

const deepValue = (minLevels: number, maxLevels: number) =>
  fc
    .record({
      levels: fc.integer({ min: minLevels, max: maxLevels }),
      container: fc.constantFrom('object' as const, 'array' as const),
      leaf: fc.constantFrom('1', '"\\u0000"', '"\\ud800"', 'null'),
    })
    .map(({ levels, container, leaf }) => deepJson(levels, container, leaf));

const json = (value: unknown) => JSON.stringify(value);

export const CATEGORIES: Record<string, Category> = {
  'path-parameter': (operation) =>
    operation.pathParameters.length
      ? pathParameters(operation, malformedPathParameter).map((parameters) => ({
          kind: 'path-parameter',
          method: operation.method,
          path: pathOf(operation, parameters),
        }))
      : null,
  'query-wrong-type': queryCategory('query-wrong-type', (name) =>
    wrongQueryText.map((text) => `${name}=${encodeComponent(text)}`),
  ),
  'query-repeated': queryCategory('query-repeated', (name) =>
    fc.constant(`${name}=1&${name}=2&${name}[a]=3`),
  ),
  'query-nul': queryCategory(
    'query-nul',
    (name) => fc.constantFrom(`${name}=a%00b`, `${name}=%00`, `${name}%00=1`),
    false,
  ),
  'query-malformed-escape': queryCategory(
    'query-malformed-escape',
    (name) => fc.constantFrom(...MALFORMED_ESCAPES).map((escape) => `${name}=${escape}`),
    false,
  ),
  'query-huge': queryCategory('query-huge', (name) =>
    fc.integer({ min: 2_000, max: 8_000 }).map((length) => `${name}=${'x'.repeat(length)}`),
  ),
  'body-wrong-type': bodyCategory('body-wrong-type', () => wrongValue.map(json)),
  'body-nul': bodyCategory(
    'body-nul',
    () =>
      fc.constantFrom(
        '"a\\u0000b"',
        '"\\u0000"',
        '{"k\\u0000":1}',
        '["x","\\u0000"]',
        '{"a":{"b":"\\u0000"}}',
      ),
    { bodilessToo: true },
  ),
  'body-lone-surrogate': bodyCategory(
    'body-lone-surrogate',
    () => fc.constantFrom('"\\ud800"', '"x\\udfff"', '"\\ud83dz@example.com"', '{"\\udc00":1}'),
    { bodilessToo: true },
  ),
  'body-deep': bodyCategory('body-deep', () => deepValue(DEEP_LEVELS, DEEP_LEVELS), {
    bodilessToo: true,
  }),
  'body-deep-jsonb': bodyCategory('body-deep-jsonb', () => deepValue(3_000, 5_000)),
  'body-deep-root': wholeBodyCategory(
    'body-deep-root',
    fc.constantFrom('object' as const, 'array' as const).map((container) => ({
      body: deepJson(DEEP_LEVELS, container),
      contentType: JSON_TYPE,
    })),
    { bodilessToo: true },
  ),
  'body-huge-string': bodyCategory('body-huge-string', () =>
    fc.integer({ min: 10_000, max: 150_000 }).map((length) => json('x'.repeat(length))),
  ),
  'body-array': wholeBodyCategory(
    'body-array',
    fc
      .constantFrom('[]', '[{}]', '[1,"a",null]', '[[]]')
      .map((body) => ({ body, contentType: JSON_TYPE })),
  ),
  'body-null': wholeBodyCategory(
    'body-null',
    fc
      .constantFrom('null', '0', '"text"', 'true', '')
      .map((body) => ({ body, contentType: JSON_TYPE })),
    { bodilessToo: true },
  ),
  'body-not-json': wholeBodyCategory(
    'body-not-json',
    fc.oneof(
      fc.constantFrom('{"a":', '{"a":1}}', "{'a':1}", '<xml/>', '\u0000').map((body) => ({
        body,
        contentType: JSON_TYPE,
      })),
      fc.constantFrom('hello', 'a=1&b=2').map((body) => ({ body, contentType: 'text/plain' })),
      fc.constantFrom('a=%00&b[c][d][e][f][g][h]=1', 'a=%ZZ', 'x\u0000=1').map((body) => ({
        body,
        contentType: 'application/x-www-form-urlencoded',
      })),
      fc
        .constantFrom('fullName,email\n"a\u0000",x@example.com\n', '"unterminated\n')
        .map((body) => ({ body, contentType: 'text/csv' })),
    ),
    { bodilessToo: true },
  ),
  'body-bad-charset': wholeBodyCategory(
    'body-bad-charset',
    fc.constantFrom('latin1', 'utf-7', 'x-unknown').map((charset) => ({
      body: '{}',
      contentType: `${JSON_TYPE}; charset=${charset}`,
    })),
  ),
  'body-extra-field': bodyCategory(
    'body-extra-field',
    () => fc.constantFrom('1', '{"isAdmin":true}'),
    {
      properties: ['unexpectedField', '__proto__', 'constructor'],
    },
  ),
};

/** Every category's requests for one operation, sampled reproducibly from a fixed seed. */
export function malformedRequests(
  operation: Operation,
  resolve: (schema: Schema) => Schema,
  { seed, runsPerCategory }: { seed: number; runsPerCategory: number },
): FuzzRequest[] {
  return Object.values(CATEGORIES).flatMap((category, index) => {
    const arbitrary = category(operation, resolve);
    return arbitrary ? fc.sample(arbitrary, { seed: seed + index, numRuns: runsPerCategory }) : [];
  });
}
