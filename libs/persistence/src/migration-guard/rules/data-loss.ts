import type { Node } from 'libpg-query';
import type { RuleHit } from '../finding.js';
import { alterTableOf, displayKey, droppedObjectKeys, stringsOf, tableKeyOf } from '../pg-ast.js';
import type { RuleContext, StatementRule } from '../rule-context.js';

/** drop-column, drop-add-column, drop-table, rename-column, rename-table, drop-type, drop-schema. */
export const checkDataLoss: StatementRule = (statement, context) => [
  ...droppedColumns(statement, context),
  ...droppedObjects(statement, context),
  ...renames(statement, context),
];

function droppedColumns(statement: Node, context: RuleContext): RuleHit[] {
  const target = alterTableOf(statement);
  if (!target) return [];
  return target.commands.flatMap((command): RuleHit[] => {
    const column = command.name ?? '';
    if (command.subtype !== 'AT_DropColumn') return [];
    if (context.isNewColumn(target.tableKey, column)) return [];
    const subject = `${displayKey(target.tableKey)}.${column}`;
    const addLine = context.laterAddLine(target.tableKey, column);
    return addLine === undefined
      ? [{ rule: 'drop-column', message: `drops ${subject}` }]
      : [
          {
            rule: 'drop-add-column',
            message: `drops ${subject} and adds it again (line ${addLine}): all its values are lost`,
          },
        ];
  });
}

function droppedObjects(statement: Node, context: RuleContext): RuleHit[] {
  if (!('DropStmt' in statement)) return [];
  const drop = statement.DropStmt;
  switch (drop.removeType) {
    case 'OBJECT_TABLE':
      return droppedObjectKeys(drop)
        .filter((key) => !context.isNewTable(key))
        .map((key) => ({ rule: 'drop-table', message: `drops table ${displayKey(key)}` }));
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN':
      return droppedObjectKeys(drop)
        .filter((key) => !context.isNewType(key) && !context.rebuiltEnums.has(key))
        .map((key) => ({ rule: 'drop-type', message: `drops type ${displayKey(key)}` }));
    case 'OBJECT_SCHEMA':
      return stringsOf(drop.objects)
        .filter((schema) => !context.isNewSchema(schema))
        .map((schema) => ({ rule: 'drop-schema', message: `drops schema ${schema}` }));
    default:
      return [];
  }
}

function renames(statement: Node, context: RuleContext): RuleHit[] {
  if ('AlterObjectSchemaStmt' in statement) {
    const { objectType, relation, newschema } = statement.AlterObjectSchemaStmt;
    const tableKey = tableKeyOf(relation);
    if (objectType !== 'OBJECT_TABLE' || context.isNewTable(tableKey)) return [];
    return [
      {
        rule: 'rename-table',
        message: `moves ${displayKey(tableKey)} to schema ${newschema ?? ''}`,
      },
    ];
  }
  if (!('RenameStmt' in statement)) return [];
  const { renameType, relation, subname, newname } = statement.RenameStmt;
  const tableKey = tableKeyOf(relation);
  if (renameType === 'OBJECT_TABLE' && !context.isNewTable(tableKey)) {
    return [
      { rule: 'rename-table', message: `renames ${displayKey(tableKey)} to ${newname ?? ''}` },
    ];
  }
  if (renameType === 'OBJECT_COLUMN' && !context.isNewColumn(tableKey, subname ?? '')) {
    const subject = `${displayKey(tableKey)}.${subname ?? ''}`;
    return [{ rule: 'rename-column', message: `renames ${subject} to ${newname ?? ''}` }];
  }
  return [];
}
