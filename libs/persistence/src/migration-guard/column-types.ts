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
 * Every cast pg_cast marks binary coercible on PostgreSQL 15: the column is relabelled, not
 * rewritten (when the target has no length modifier to enforce). Generated with
 *   SELECT s.typname || '→' || t.typname FROM pg_cast c
 *     JOIN pg_type s ON s.oid = c.castsource JOIN pg_type t ON t.oid = c.casttarget
 *    WHERE c.castmethod = 'b' ORDER BY 1;
 */
const BINARY_COERCIBLE = new Set([
  'bit→varbit',
  'cidr→inet',
  'int4→oid',
  'int4→regclass',
  'int4→regcollation',
  'int4→regconfig',
  'int4→regdictionary',
  'int4→regnamespace',
  'int4→regoper',
  'int4→regoperator',
  'int4→regproc',
  'int4→regprocedure',
  'int4→regrole',
  'int4→regtype',
  'oid→int4',
  'oid→regclass',
  'oid→regcollation',
  'oid→regconfig',
  'oid→regdictionary',
  'oid→regnamespace',
  'oid→regoper',
  'oid→regoperator',
  'oid→regproc',
  'oid→regprocedure',
  'oid→regrole',
  'oid→regtype',
  'pg_dependencies→bytea',
  'pg_mcv_list→bytea',
  'pg_ndistinct→bytea',
  'pg_node_tree→text',
  'regclass→int4',
  'regclass→oid',
  'regcollation→int4',
  'regcollation→oid',
  'regconfig→int4',
  'regconfig→oid',
  'regdictionary→int4',
  'regdictionary→oid',
  'regnamespace→int4',
  'regnamespace→oid',
  'regoperator→int4',
  'regoperator→oid',
  'regoperator→regoper',
  'regoper→int4',
  'regoper→oid',
  'regoper→regoperator',
  'regprocedure→int4',
  'regprocedure→oid',
  'regprocedure→regproc',
  'regproc→int4',
  'regproc→oid',
  'regproc→regprocedure',
  'regrole→int4',
  'regrole→oid',
  'regtype→int4',
  'regtype→oid',
  'text→bpchar',
  'text→varchar',
  'varbit→bit',
  'varchar→bpchar',
  'varchar→text',
  'xml→bpchar',
  'xml→text',
  'xml→varchar',
]);

/**
 * The binary-coercible casts whose two types share a default btree operator family, so an index
 * on the column is kept; for every other one Postgres rebuilds the index under ACCESS EXCLUSIVE.
 * Generated from the list above by comparing pg_opclass.opcfamily of the default btree classes.
 */
const INDEX_KEEPING_CASTS = new Set(['cidr→inet', 'text→varchar', 'varchar→text']);

/** Whether indexes on a column survive a type change that typeChangeVerdict found safe. */
export function typeChangeKeepsIndexes(from: ColumnType, to: ColumnType): boolean {
  return from.name === to.name || INDEX_KEEPING_CASTS.has(`${from.name}→${to.name}`);
}

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
