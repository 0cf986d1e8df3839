import fc from 'fast-check';
import { type Schema } from './openapi-operations.js';

const VALID_UUID = '00000000-0000-4000-8000-000000000000';

/** A plausible value for a schema, so that one malformed field is what validation meets. */
export function plausibleValue(schema: Schema, name = ''): unknown {
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return plausibleString(schema, name);
  }
}

function plausibleString(schema: Schema, name: string): string {
  if (schema.format === 'uuid' || /Id$/.test(name)) return VALID_UUID;
  if (schema.format === 'date-time' || /At$|From$|To$/.test(name))
    return '2031-01-01T10:00:00.000Z';
  if (/email/i.test(name)) return 'fuzz@example.com';
  if (/amount|price|fee/i.test(name)) return '10.00';
  return 'fuzz-value'.padEnd(schema.minLength ?? 0, 'x');
}

export function plausibleObject(
  schema: Schema,
  resolve: (schema: Schema) => Schema,
): Record<string, unknown> {
  const resolved = resolve(schema);
  return Object.fromEntries(
    Object.entries(resolved.properties ?? {}).map(([name, property]) => [
      name,
      plausibleValue(resolve(property), name),
    ]),
  );
}

/** Values of every JSON type, including strings of any UTF-16 code unit (NUL, lone surrogates). */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '-1', '1e309', 'true', 'null', '[]', '{}', '💥'),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  fc.json({ maxDepth: 3 }).map((text) => JSON.parse(text) as unknown),
);

/** Query parameter texts that are not what the parameter declares. */
export const wrongQueryText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', 'abc', '-1', '0', '1.5', '1e309', '99999999999999999999', 'NaN', 'null'),
  fc.constantFrom('not-a-uuid', '2031-13-45', 'yesterday', 'Zm9v', '!!!', '%', '[object Object]'),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);
