import type { DropStmt, Node, RenameStmt } from 'libpg-query';
import type { Catalog } from './catalog.js';
import {
  alterTableOf,
  columnDefOf,
  droppedObjectKeys,
  indexKeyOf,
  keyFromNameParts,
  qualifiedKey,
  renamedTypeKey,
  schemaOfKey,
  stringsOf,
  tableKeyOf,
} from './pg-ast.js';

/** Object ids: `table:public.users`, `column:public.users.email`, `type:…`, `index:…`, `schema:…`. */
export const objectId = {
  table: (key: string): string => `table:${key}`,
  column: (tableKey: string, column: string): string => `column:${tableKey}.${column}`,
  type: (key: string): string => `type:${key}`,
  index: (key: string): string => `index:${key}`,
  schema: (name: string): string => `schema:${name}`,
};

export interface ObjectChanges {
  created: string[];
  dropped: string[];
  renamed: [from: string, to: string][];
}

/** Which objects a statement creates, drops or renames; `catalog` is the state before it. */
export function objectChanges(node: Node, catalog: Catalog): ObjectChanges {
  const changes: ObjectChanges = { created: [], dropped: [], renamed: [] };
  if ('CreateStmt' in node) {
    const key = tableKeyOf(node.CreateStmt.relation);
    if (!catalog.table(key)) changes.created.push(objectId.table(key));
  } else if ('CreateTableAsStmt' in node && node.CreateTableAsStmt.objtype === 'OBJECT_MATVIEW') {
    changes.created.push(objectId.table(tableKeyOf(node.CreateTableAsStmt.into?.rel)));
  } else if ('IndexStmt' in node) {
    const key = indexKeyOf(node.IndexStmt);
    if (key && !catalog.hasIndex(key)) changes.created.push(objectId.index(key));
  } else if ('CreateEnumStmt' in node) {
    changes.created.push(objectId.type(keyFromNameParts(stringsOf(node.CreateEnumStmt.typeName))));
  } else if ('CreateDomainStmt' in node) {
    changes.created.push(
      objectId.type(keyFromNameParts(stringsOf(node.CreateDomainStmt.domainname))),
    );
  } else if ('CompositeTypeStmt' in node) {
    changes.created.push(objectId.type(tableKeyOf(node.CompositeTypeStmt.typevar)));
  } else if ('CreateSchemaStmt' in node && node.CreateSchemaStmt.schemaname) {
    const name = node.CreateSchemaStmt.schemaname;
    if (!catalog.hasSchema(name)) changes.created.push(objectId.schema(name));
  } else if ('DropStmt' in node) {
    changes.dropped.push(...droppedIds(node.DropStmt, catalog));
  } else if ('RenameStmt' in node) {
    addRename(node.RenameStmt, changes);
  } else {
    addColumnChanges(node, catalog, changes);
  }
  return changes;
}

/** DROP ... IF EXISTS of an object the catalog does not know drops nothing we can tell. */
function droppedIds(drop: DropStmt, catalog: Catalog): string[] {
  const kinds: Partial<Record<string, [(key: string) => string, (key: string) => boolean]>> = {
    OBJECT_TABLE: [objectId.table, (key) => catalog.table(key) !== undefined],
    OBJECT_INDEX: [objectId.index, (key) => catalog.hasIndex(key)],
    OBJECT_TYPE: [objectId.type, (key) => catalog.hasEnum(key)],
    OBJECT_DOMAIN: [objectId.type, () => false],
    OBJECT_SCHEMA: [objectId.schema, (name) => catalog.hasSchema(name)],
  };
  const kind = drop.removeType ? kinds[drop.removeType] : undefined;
  if (!kind) return [];
  const [toId, isKnown] = kind;
  const keys =
    drop.removeType === 'OBJECT_SCHEMA' ? stringsOf(drop.objects) : droppedObjectKeys(drop);
  return keys.filter((key) => !drop.missing_ok || isKnown(key)).map(toId);
}

function addRename(statement: RenameStmt, changes: ObjectChanges): void {
  const tableKey = tableKeyOf(statement.relation);
  const sibling = (key: string): string => qualifiedKey(schemaOfKey(key), statement.newname ?? '');
  switch (statement.renameType) {
    case 'OBJECT_TABLE':
      changes.renamed.push([objectId.table(tableKey), objectId.table(sibling(tableKey))]);
      break;
    case 'OBJECT_COLUMN':
      changes.renamed.push([
        objectId.column(tableKey, statement.subname ?? ''),
        objectId.column(tableKey, statement.newname ?? ''),
      ]);
      break;
    case 'OBJECT_INDEX':
      changes.renamed.push([objectId.index(tableKey), objectId.index(sibling(tableKey))]);
      break;
    case 'OBJECT_TYPE': {
      const from = renamedTypeKey(statement);
      changes.renamed.push([objectId.type(from), objectId.type(sibling(from))]);
      break;
    }
    default:
      break;
  }
}

function addColumnChanges(node: Node, catalog: Catalog, changes: ObjectChanges): void {
  const target = alterTableOf(node);
  if (!target) return;
  for (const command of target.commands) {
    if (command.subtype === 'AT_AddColumn') {
      const name = columnDefOf(command.def)?.colname ?? '';
      if (!catalog.column(target.tableKey, name)) {
        changes.created.push(objectId.column(target.tableKey, name));
      }
    } else if (command.subtype === 'AT_DropColumn') {
      changes.dropped.push(objectId.column(target.tableKey, command.name ?? ''));
    }
  }
}
