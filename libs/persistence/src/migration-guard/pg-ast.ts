import type {
  AlterTableCmd,
  ColumnDef,
  Constraint,
  DropStmt,
  IndexStmt,
  Node,
  RangeVar,
  RenameStmt,
  TruncateStmt,
  TypeName,
} from 'libpg-query';

/** Unqualified names resolve here (the project does not change search_path). */
export const DEFAULT_SCHEMA = 'public';

/**
 * Identifiers arrive case-folded by the Postgres parser (unquoted lower-cased, quoted kept),
 * so keys built from them compare exactly like Postgres compares names.
 */
export function qualifiedKey(schema: string | undefined, name: string): string {
  return `${schema ?? DEFAULT_SCHEMA}.${name}`;
}

export function keyFromNameParts(parts: string[]): string {
  const name = parts.at(-1) ?? '';
  return qualifiedKey(parts.length > 1 ? parts.at(-2) : undefined, name);
}

export function tableKeyOf(relation: RangeVar | undefined): string {
  return qualifiedKey(relation?.schemaname, relation?.relname ?? '');
}

export function schemaOfKey(key: string): string {
  return key.slice(0, key.indexOf('.'));
}

/** An index lives in its table's schema; unnamed indexes get no key. */
export function indexKeyOf(statement: IndexStmt): string | undefined {
  const tableKey = tableKeyOf(statement.relation);
  return statement.idxname ? qualifiedKey(schemaOfKey(tableKey), statement.idxname) : undefined;
}

/** `users` for public.users, `audit.events` otherwise. */
export function displayKey(key: string): string {
  const prefix = `${DEFAULT_SCHEMA}.`;
  return key.startsWith(prefix) ? key.slice(prefix.length) : key;
}

export function stringsOf(nodes: Node[] | undefined): string[] {
  return (nodes ?? []).flatMap((node) => ('String' in node ? [node.String.sval ?? ''] : []));
}

/** Protobuf omits zero values, so an integer constant without ival is 0. */
export function integerOf(node: Node): number | undefined {
  if (!('A_Const' in node)) return undefined;
  const constant = node.A_Const;
  return constant.sval || constant.fval || constant.isnull ? undefined : (constant.ival?.ival ?? 0);
}

export function typeNameParts(typeName: TypeName | undefined): string[] {
  return stringsOf(typeName?.names);
}

export function columnDefOf(node: Node | undefined): ColumnDef | undefined {
  return node && 'ColumnDef' in node ? node.ColumnDef : undefined;
}

export function constraintOf(node: Node | undefined): Constraint | undefined {
  return node && 'Constraint' in node ? node.Constraint : undefined;
}

export function columnConstraints(column: ColumnDef): Constraint[] {
  return (column.constraints ?? []).flatMap((node) => constraintOf(node) ?? []);
}

export interface AlterTableTarget {
  tableKey: string;
  commands: AlterTableCmd[];
}

/** ALTER TABLE (not ALTER INDEX / VIEW / SEQUENCE) with its sub-commands. */
export function alterTableOf(node: Node): AlterTableTarget | undefined {
  if (!('AlterTableStmt' in node)) return undefined;
  const statement = node.AlterTableStmt;
  if (statement.objtype !== 'OBJECT_TABLE') return undefined;
  return {
    tableKey: tableKeyOf(statement.relation),
    commands: (statement.cmds ?? []).flatMap((command) =>
      'AlterTableCmd' in command ? [command.AlterTableCmd] : [],
    ),
  };
}

/** Keys of the objects in DROP TABLE / INDEX / TYPE / DOMAIN (schema-qualified). */
export function droppedObjectKeys(drop: DropStmt): string[] {
  return (drop.objects ?? []).map((object) => {
    if ('List' in object) return keyFromNameParts(stringsOf(object.List.items));
    if ('TypeName' in object) return keyFromNameParts(typeNameParts(object.TypeName));
    return keyFromNameParts(stringsOf([object]));
  });
}

/** ALTER TYPE <key> RENAME TO ...: the key of the type being renamed. */
export function renamedTypeKey(statement: RenameStmt): string {
  const object = statement.object;
  return keyFromNameParts(object && 'List' in object ? stringsOf(object.List.items) : []);
}

export function truncatedTableKeys(statement: TruncateStmt): string[] {
  return (statement.relations ?? []).flatMap((node) =>
    'RangeVar' in node ? [tableKeyOf(node.RangeVar)] : [],
  );
}

/** `DEFAULT NULL` is no default at all. */
export function isNullConstant(expression: Node | undefined): boolean {
  return expression !== undefined && 'A_Const' in expression && !!expression.A_Const.isnull;
}

/** The last name part of every `nodeType` node (found under `field`) in an expression tree. */
function namesIn(expression: unknown, nodeType: string, field: string): string[] {
  const names: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      const node = record[nodeType] as Record<string, Node[] | undefined> | undefined;
      if (node) names.push(stringsOf(node[field]).at(-1) ?? '');
      Object.values(record).forEach(visit);
    }
  };
  visit(expression);
  return names;
}

/** Every FuncCall name in an expression tree (lower-case, unqualified). */
export function functionNamesIn(expression: Node | undefined): string[] {
  return namesIn(expression, 'FuncCall', 'funcname');
}

/** Every column name referenced in an expression tree (unqualified). */
export function columnNamesIn(expression: unknown): string[] {
  return namesIn(expression, 'ColumnRef', 'fields');
}
