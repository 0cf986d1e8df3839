import type {
  AlterTableCmd,
  ColumnDef,
  Constraint,
  CreateStmt,
  DropStmt,
  Node,
  RenameStmt,
} from 'libpg-query';
import type { Catalog, ColumnInfo, ConstraintInfo, TableInfo } from './catalog.js';
import { columnTypeOf, isSerialType } from './column-types.js';
import {
  alterTableOf,
  columnConstraints,
  columnNamesIn,
  columnDefOf,
  constraintOf,
  droppedObjectKeys,
  indexKeyOf,
  isNullConstant,
  keyFromNameParts,
  qualifiedKey,
  renamedTypeKey,
  schemaOfKey,
  stringsOf,
  tableKeyOf,
} from './pg-ast.js';

/** Applies one statement's effect on tables, columns, constraints, enums, indexes and schemas. */
export function applyStatement(catalog: Catalog, node: Node): void {
  if ('CreateStmt' in node) applyCreateTable(catalog, node.CreateStmt);
  else if ('AlterTableStmt' in node) applyAlterTable(catalog, node);
  else if ('RenameStmt' in node) applyRename(catalog, node.RenameStmt);
  else if ('DropStmt' in node) applyDrop(catalog, node.DropStmt);
  else if ('IndexStmt' in node) {
    const indexKey = indexKeyOf(node.IndexStmt);
    const { relation, indexParams, whereClause } = node.IndexStmt;
    if (indexKey)
      catalog.putIndex(indexKey, tableKeyOf(relation), indexedColumns(indexParams, whereClause));
  } else if ('CreateEnumStmt' in node) {
    const { typeName, vals } = node.CreateEnumStmt;
    catalog.putEnum(keyFromNameParts(stringsOf(typeName)), stringsOf(vals));
  } else if ('AlterEnumStmt' in node) {
    const { typeName, oldVal, newVal } = node.AlterEnumStmt;
    const key = keyFromNameParts(stringsOf(typeName));
    const values = catalog.enumValues(key);
    if (!values || newVal === undefined) return;
    if (oldVal !== undefined)
      catalog.putEnum(
        key,
        values.map((v) => (v === oldVal ? newVal : v)),
      );
    else if (!values.includes(newVal)) catalog.putEnum(key, [...values, newVal]);
  } else if ('CreateTableAsStmt' in node && node.CreateTableAsStmt.objtype === 'OBJECT_MATVIEW') {
    catalog.putMaterializedView(tableKeyOf(node.CreateTableAsStmt.into?.rel));
  } else if ('CreateSchemaStmt' in node) {
    const { schemaname } = node.CreateSchemaStmt;
    if (schemaname) catalog.putSchema(schemaname);
  } else if ('AlterObjectSchemaStmt' in node) {
    const { objectType, relation, newschema } = node.AlterObjectSchemaStmt;
    if (objectType === 'OBJECT_TABLE' && relation?.relname && newschema) {
      catalog.moveTable(tableKeyOf(relation), qualifiedKey(newschema, relation.relname));
    }
  }
}

function applyCreateTable(catalog: Catalog, statement: CreateStmt): void {
  const key = tableKeyOf(statement.relation);
  if (statement.if_not_exists && catalog.table(key)) return;
  const table: TableInfo = { partial: false, columns: new Map(), constraints: new Map() };
  catalog.putTable(key, table);
  for (const element of statement.tableElts ?? []) {
    const column = columnDefOf(element);
    if (column) addColumn(catalog, table, column);
    const constraint = constraintOf(element);
    if (constraint) addConstraint(table, constraint, `${key}_constraint_${table.constraints.size}`);
  }
}

function applyAlterTable(catalog: Catalog, node: Node): void {
  const target = alterTableOf(node);
  if (!target) return;
  const table = catalog.ensureTable(target.tableKey);
  for (const command of target.commands) applyAlterCommand(catalog, table, command);
}

function applyAlterCommand(catalog: Catalog, table: TableInfo, command: AlterTableCmd): void {
  const name = command.name ?? '';
  const column = table.columns.get(name);
  switch (command.subtype) {
    case 'AT_AddColumn': {
      const definition = columnDefOf(command.def);
      if (definition?.colname && !(command.missing_ok && table.columns.has(definition.colname))) {
        addColumn(catalog, table, definition);
      }
      break;
    }
    case 'AT_DropColumn':
      table.columns.delete(name);
      break;
    case 'AT_AlterColumnType': {
      const type = columnTypeOf(columnDefOf(command.def)?.typeName, (key) => catalog.hasEnum(key));
      if (column) column.type = type;
      else table.columns.set(name, { type, notNull: false, hasDefault: false });
      break;
    }
    case 'AT_SetNotNull':
      if (column) column.notNull = true;
      break;
    case 'AT_DropNotNull':
      if (column) column.notNull = false;
      break;
    case 'AT_ColumnDefault':
      if (column) column.hasDefault = command.def !== undefined;
      break;
    case 'AT_AddConstraint': {
      const constraint = constraintOf(command.def);
      if (constraint) addConstraint(table, constraint, `unnamed_${table.constraints.size}`);
      break;
    }
    case 'AT_ValidateConstraint': {
      const constraint = table.constraints.get(name);
      if (constraint) constraint.validated = true;
      break;
    }
    case 'AT_DropConstraint':
      table.constraints.delete(name);
      break;
    default:
      break;
  }
}

function addColumn(catalog: Catalog, table: TableInfo, definition: ColumnDef): void {
  const name = definition.colname ?? '';
  const constraints = columnConstraints(definition);
  const has = (...types: Constraint['contype'][]): boolean =>
    constraints.some((constraint) => types.includes(constraint.contype));
  const info: ColumnInfo = {
    type: columnTypeOf(definition.typeName, (key) => catalog.hasEnum(key)),
    notNull: has('CONSTR_NOTNULL', 'CONSTR_PRIMARY', 'CONSTR_IDENTITY'),
    hasDefault:
      isSerialType(definition.typeName) ||
      has('CONSTR_IDENTITY', 'CONSTR_GENERATED') ||
      constraints.some((c) => c.contype === 'CONSTR_DEFAULT' && !isNullConstant(c.raw_expr)),
  };
  table.columns.set(name, info);
  for (const constraint of constraints) {
    if (['CONSTR_CHECK', 'CONSTR_UNIQUE', 'CONSTR_PRIMARY'].includes(constraint.contype ?? '')) {
      addConstraint(table, constraint, `${name}_constraint_${table.constraints.size}`, name);
    }
  }
}

function addConstraint(
  table: TableInfo,
  constraint: Constraint,
  fallbackName: string,
  ownColumn?: string,
): void {
  const validated = !constraint.skip_validation;
  const info: ConstraintInfo = {
    kind: constraintKind(constraint),
    notNullColumns: notNullColumnsOf(constraint, ownColumn),
    validated,
    columns: constrainedColumns(constraint, ownColumn),
  };
  table.constraints.set(constraint.conname ?? fallbackName, info);
  if (info.kind === 'primary-key' || (info.kind === 'not-null' && validated)) {
    for (const name of info.kind === 'primary-key'
      ? stringsOf(constraint.keys)
      : info.notNullColumns) {
      const column = table.columns.get(name);
      if (column) column.notNull = true;
    }
  }
}

function constrainedColumns(constraint: Constraint, ownColumn: string | undefined): string[] {
  const columns = [
    ...stringsOf(constraint.keys),
    ...columnNamesIn(constraint.raw_expr),
    ...columnNamesIn(constraint.exclusions),
  ];
  return ownColumn === undefined ? columns : [ownColumn, ...columns];
}

function indexedColumns(parameters: Node[] | undefined, predicate: Node | undefined): string[] {
  const named = (parameters ?? []).flatMap((parameter) =>
    'IndexElem' in parameter && parameter.IndexElem.name ? [parameter.IndexElem.name] : [],
  );
  return [...named, ...columnNamesIn(parameters), ...columnNamesIn(predicate)];
}

function constraintKind(constraint: Constraint): ConstraintInfo['kind'] {
  switch (constraint.contype) {
    case 'CONSTR_CHECK':
      return 'check';
    case 'CONSTR_FOREIGN':
      return 'foreign-key';
    case 'CONSTR_UNIQUE':
      return 'unique';
    case 'CONSTR_PRIMARY':
      return 'primary-key';
    case 'CONSTR_EXCLUSION':
      return 'exclusion';
    case 'CONSTR_NOTNULL':
      return 'not-null';
    default:
      return 'other';
  }
}

function notNullColumnsOf(constraint: Constraint, ownColumn: string | undefined): string[] {
  if (constraint.contype === 'CONSTR_NOTNULL') {
    return ownColumn === undefined ? stringsOf(constraint.keys) : [ownColumn];
  }
  return constraint.contype === 'CONSTR_CHECK' ? columnsProvenNotNull(constraint.raw_expr) : [];
}

/** `col IS NOT NULL`, possibly AND-ed with other conditions. */
function columnsProvenNotNull(expression: Node | undefined): string[] {
  if (!expression) return [];
  if ('NullTest' in expression) {
    const { arg, nulltesttype } = expression.NullTest;
    if (nulltesttype !== 'IS_NOT_NULL' || !arg || !('ColumnRef' in arg)) return [];
    const fields = stringsOf(arg.ColumnRef.fields);
    return fields.length === 1 ? fields : [];
  }
  if ('BoolExpr' in expression && expression.BoolExpr.boolop === 'AND_EXPR') {
    return (expression.BoolExpr.args ?? []).flatMap(columnsProvenNotNull);
  }
  return [];
}

function applyRename(catalog: Catalog, statement: RenameStmt): void {
  const newName = statement.newname ?? '';
  const tableKey = tableKeyOf(statement.relation);
  switch (statement.renameType) {
    case 'OBJECT_TABLE':
      catalog.moveTable(tableKey, qualifiedKey(schemaOfKey(tableKey), newName));
      break;
    case 'OBJECT_COLUMN': {
      const table = catalog.table(tableKey);
      const column = table?.columns.get(statement.subname ?? '');
      if (table && column) {
        table.columns.delete(statement.subname ?? '');
        table.columns.set(newName, column);
      }
      break;
    }
    case 'OBJECT_TABCONSTRAINT': {
      const table = catalog.table(tableKey);
      const constraint = table?.constraints.get(statement.subname ?? '');
      if (table && constraint) {
        table.constraints.delete(statement.subname ?? '');
        table.constraints.set(newName, constraint);
      }
      break;
    }
    case 'OBJECT_INDEX':
      catalog.renameIndex(tableKey, qualifiedKey(schemaOfKey(tableKey), newName));
      break;
    case 'OBJECT_TYPE': {
      const from = renamedTypeKey(statement);
      catalog.renameEnum(from, qualifiedKey(schemaOfKey(from), newName));
      break;
    }
    default:
      break;
  }
}

function applyDrop(catalog: Catalog, statement: DropStmt): void {
  const keys = droppedObjectKeys(statement);
  switch (statement.removeType) {
    case 'OBJECT_TABLE':
      keys.forEach((key) => catalog.dropTable(key));
      break;
    case 'OBJECT_INDEX':
      keys.forEach((key) => catalog.dropIndex(key));
      break;
    case 'OBJECT_MATVIEW':
      keys.forEach((key) => catalog.dropMaterializedView(key));
      break;
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN':
      keys.forEach((key) => catalog.dropEnum(key));
      break;
    case 'OBJECT_SCHEMA':
      stringsOf(statement.objects).forEach((name) => catalog.dropSchema(name));
      break;
    default:
      break;
  }
}
