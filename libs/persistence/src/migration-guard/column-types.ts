import type { TypeName } from 'libpg-query';
import { DEFAULT_SCHEMA, displayKey, integerOf, typeNameParts } from './pg-ast.js';

export interface ColumnType {
  /** Built-in types by their internal name (varchar, int4, numeric, text); others schema-qualified. */
  name: string;
  /** Type modifiers: varchar length, numeric precision and scale, timestamp precision. */
  modifiers: number[];
  arrayDimensions: number;
}

/** serial types are int columns with a nextval() default. */
const SERIAL_BASE_TYPES: Readonly<Record<string, string>> = {
  smallserial: 'int2',
  serial2: 'int2',
  serial: 'int4',
  serial4: 'int4',
  bigserial: 'int8',
  serial8: 'int8',
};

export function isSerialType(typeName: TypeName | undefined): boolean {
  const parts = typeNameParts(typeName);
  return parts.length === 1 && Object.hasOwn(SERIAL_BASE_TYPES, parts[0] ?? '');
}

/**
 * The parser already maps SQL spellings to internal names (character varying → pg_catalog.varchar,
 * integer → pg_catalog.int4). Unqualified names are user types in public when the catalog knows
 * such a type, built-ins (text, uuid, jsonb, ...) otherwise.
 */
export function columnTypeOf(
  typeName: TypeName | undefined,
  isKnownUserType: (key: string) => boolean,
): ColumnType {
  const parts = typeNameParts(typeName);
  const last = parts.at(-1) ?? '';
  let name: string;
  if (parts.length === 1) {
    const userKey = `${DEFAULT_SCHEMA}.${last}`;
    name = isKnownUserType(userKey) ? userKey : (SERIAL_BASE_TYPES[last] ?? last);
  } else {
    name = parts[0] === 'pg_catalog' ? last : `${parts.at(-2) ?? DEFAULT_SCHEMA}.${last}`;
  }
  return {
    name,
    modifiers: (typeName?.typmods ?? []).flatMap((node) => integerOf(node) ?? []),
    arrayDimensions: typeName?.arrayBounds?.length ?? 0,
  };
}

function formatColumnType(type: ColumnType): string {
  const modifiers = type.modifiers.length > 0 ? `(${type.modifiers.join(',')})` : '';
  return `${displayKey(type.name)}${modifiers}${'[]'.repeat(type.arrayDimensions)}`;
}

export type TypeChangeVerdict =
  { safe: true; onlyInUtcSession?: true } | { safe: false; reason: string };

/**
 * Casts pg_cast marks binary coercible (castmethod 'b') between column types, seen on PG 15 to
 * keep relfilenode and indexes: the column is relabelled, not rewritten.
 */
const BINARY_COERCIBLE = new Set([
  'cidr→inet',
  'xml→text',
  'xml→varchar',
  'bit→varbit',
  'int4→oid',
  'oid→int4',
]);

/** Same instants only when the session TimeZone is UTC; otherwise every value is converted. */
const ZONE_SWITCH = new Set(['timestamp→timestamptz', 'timestamptz→timestamp']);

/** Types whose single modifier is a maximum: raising or removing it needs no rewrite. */
const MAXIMUM_MODIFIER_TYPES = new Set([
  'varchar',
  'varbit',
  'timestamp',
  'timestamptz',
  'time',
  'timetz',
]);

const SAFE: TypeChangeVerdict = { safe: true };

/** Safe = Postgres can switch the column without rewriting the table or checking the data. */
export function typeChangeVerdict(from: ColumnType, to: ColumnType): TypeChangeVerdict {
  const change = `${formatColumnType(from)} → ${formatColumnType(to)}`;
  const unsafe = (reason: string): TypeChangeVerdict => ({
    safe: false,
    reason: `${change}: ${reason}`,
  });
  if (from.arrayDimensions !== to.arrayDimensions) return unsafe('array dimensions change');
  if (from.name === to.name) {
    if (sameModifiers(from.modifiers, to.modifiers)) return SAFE;
    if (MAXIMUM_MODIFIER_TYPES.has(from.name)) return maximumModifierVerdict(from, to, unsafe);
    if (from.name === 'numeric') return numericVerdict(from, to, unsafe);
    return unsafe(`changing the modifier of ${from.name} is not known to be safe`);
  }
  if (from.name === 'varchar' && to.name === 'text') return SAFE;
  if (from.name === 'text' && to.name === 'varchar' && to.modifiers.length === 0) return SAFE;
  if (from.name === 'text' && to.name === 'varchar') return unsafe('adds a length limit to text');
  const pair = `${from.name}→${to.name}`;
  const unbounded = to.modifiers.length === 0;
  if (BINARY_COERCIBLE.has(pair) && unbounded) return SAFE;
  if (ZONE_SWITCH.has(pair) && (unbounded || (to.modifiers[0] ?? 0) >= (from.modifiers[0] ?? 6))) {
    return { safe: true, onlyInUtcSession: true };
  }
  return unsafe('not a binary-compatible widening (rewrites the table, may fail on existing data)');
}

function sameModifiers(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function maximumModifierVerdict(
  from: ColumnType,
  to: ColumnType,
  unsafe: (reason: string) => TypeChangeVerdict,
): TypeChangeVerdict {
  const [before] = from.modifiers;
  const [after] = to.modifiers;
  if (after === undefined) return SAFE;
  if (before === undefined) return unsafe(`adds a limit to an unbounded ${from.name}`);
  return after >= before ? SAFE : unsafe(`shrinks ${from.name} from ${before} to ${after}`);
}

function numericVerdict(
  from: ColumnType,
  to: ColumnType,
  unsafe: (reason: string) => TypeChangeVerdict,
): TypeChangeVerdict {
  const [precisionAfter, scaleAfter = 0] = to.modifiers;
  const [precisionBefore, scaleBefore = 0] = from.modifiers;
  if (precisionAfter === undefined) return SAFE;
  if (precisionBefore === undefined) return unsafe('adds a precision limit to unbounded numeric');
  if (scaleAfter !== scaleBefore) return unsafe('changes the numeric scale (rewrites every value)');
  return precisionAfter >= precisionBefore ? SAFE : unsafe('lowers the numeric precision');
}
