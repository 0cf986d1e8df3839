import ts from 'typescript';
import type { LocatedHit, Phase } from './finding.js';

/** One `queryRunner.query(...)` call whose SQL text is known at compile time. */
export interface QueryCall {
  line: number;
  sql: string;
}

/** Lines spanned by a call on the queryRunner; acknowledgements attach to these. */
export interface CallSpan {
  line: number;
  endLine: number;
}

export interface SourceComment {
  line: number;
  endLine: number;
  /** Comment text without the `//` or `/* *\/` markers. */
  text: string;
}

export interface ExtractedMigration {
  /** False when the class declares `transaction = false`: TypeORM then runs up() without a transaction. */
  transactional: boolean;
  queries: Record<Phase, QueryCall[]>;
  /** dynamic-sql, queryrunner-schema-call and invalid-migration findings. */
  hits: LocatedHit[];
  callSpans: CallSpan[];
  comments: SourceComment[];
}

/** QueryRunner members that neither change the schema nor run SQL we cannot see. */
const HARMLESS_MEMBERS = new Set([
  'connect',
  'release',
  'startTransaction',
  'commitTransaction',
  'rollbackTransaction',
  'beforeMigration',
  'afterMigration',
  'getDatabases',
  'getSchemas',
  'getTable',
  'getTables',
  'getView',
  'getViews',
  'hasDatabase',
  'getCurrentDatabase',
  'hasSchema',
  'getCurrentSchema',
  'hasTable',
  'hasColumn',
  'isReleased',
  'isTransactionActive',
  'data',
]);

/** Members through which arbitrary SQL can run without passing queryRunner.query. */
const HIDDEN_SQL_MEMBERS = new Set(['manager', 'dataSource', 'connection', 'stream']);

export function extractMigration(fileName: string, sourceText: string): ExtractedMigration {
  const sourceFile = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, true);
  const lineOf = (position: number): number =>
    sourceFile.getLineAndCharacterOfPosition(position).line + 1;
  const extracted: ExtractedMigration = {
    transactional: true,
    queries: { up: [], down: [] },
    hits: [],
    callSpans: [],
    comments: collectComments(sourceFile, lineOf),
  };

  const migrationClass = sourceFile.statements
    .filter(ts.isClassDeclaration)
    .find((declaration) => findMethod(declaration, 'up') !== undefined);
  if (!migrationClass) {
    extracted.hits.push({
      rule: 'invalid-migration',
      line: 1,
      message: 'no class with an up(queryRunner) method',
    });
    return extracted;
  }

  extracted.transactional = readTransactionFlag(migrationClass);
  for (const phase of ['up', 'down'] as const) {
    const method = findMethod(migrationClass, phase);
    if (method) collectCalls(method, phase, extracted, sourceFile, lineOf);
  }
  return extracted;
}

function findMethod(
  declaration: ts.ClassDeclaration,
  name: string,
): ts.MethodDeclaration | undefined {
  return declaration.members
    .filter(ts.isMethodDeclaration)
    .find((member) => memberName(member) === name);
}

function memberName(member: ts.ClassElement): string | undefined {
  return member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name))
    ? member.name.text
    : undefined;
}

function readTransactionFlag(declaration: ts.ClassDeclaration): boolean {
  const property = declaration.members
    .filter(ts.isPropertyDeclaration)
    .find((member) => memberName(member) === 'transaction');
  let initializer = property?.initializer;
  while (
    initializer &&
    (ts.isParenthesizedExpression(initializer) ||
      ts.isAsExpression(initializer) ||
      ts.isSatisfiesExpression(initializer))
  ) {
    initializer = initializer.expression;
  }
  return initializer?.kind !== ts.SyntaxKind.FalseKeyword;
}

function collectCalls(
  method: ts.MethodDeclaration,
  phase: Phase,
  extracted: ExtractedMigration,
  sourceFile: ts.SourceFile,
  lineOf: (position: number) => number,
): void {
  const parameter = method.parameters[0];
  if (!parameter || !method.body) return;
  const spanOf = (node: ts.Node): CallSpan => ({
    line: lineOf(node.getStart(sourceFile)),
    endLine: lineOf(node.getEnd()),
  });
  const hit = (node: ts.Node, rule: LocatedHit['rule'], message: string): void => {
    const span = spanOf(node);
    extracted.callSpans.push(span);
    extracted.hits.push({ rule, line: span.line, phase, message });
  };
  if (!ts.isIdentifier(parameter.name)) {
    hit(
      parameter,
      'invalid-migration',
      `${phase}() must take the QueryRunner as a plain parameter`,
    );
    return;
  }
  const runnerName = parameter.name.text;

  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === runnerName && !isNameNotReference(node)) {
      classifyUse(node);
    }
    ts.forEachChild(node, visit);
  };

  const classifyUse = (reference: ts.Identifier): void => {
    const access = reference.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== reference) {
      hit(
        reference,
        'dynamic-sql',
        `${runnerName} is passed on or aliased; SQL run through it cannot be checked`,
      );
      return;
    }
    const member = access.name.text;
    const call =
      ts.isCallExpression(access.parent) && access.parent.expression === access
        ? access.parent
        : undefined;
    if (member === 'query' && call) {
      recordQuery(call);
    } else if (member === 'query' || HIDDEN_SQL_MEMBERS.has(member)) {
      hit(access, 'dynamic-sql', `${runnerName}.${member} runs SQL the guard cannot read`);
    } else if (!HARMLESS_MEMBERS.has(member)) {
      hit(call ?? access, 'queryrunner-schema-call', `${runnerName}.${member}(...)`);
    }
  };

  const recordQuery = (call: ts.CallExpression): void => {
    const span = spanOf(call);
    const argument = call.arguments[0];
    const text = argument ? staticText(argument) : { dynamic: 'no SQL argument' };
    if ('sql' in text) {
      extracted.callSpans.push(span);
      extracted.queries[phase].push({ line: span.line, sql: text.sql });
    } else {
      hit(call, 'dynamic-sql', `SQL is not a static string: ${text.dynamic}`);
    }
  };

  visit(method.body);
}

/** `x.queryRunner`, `{ queryRunner: 1 }` and declarations reuse the name without reading the runner. */
function isNameNotReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return (
    (ts.isPropertyAccessExpression(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isParameter(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isBindingElement(parent)) &&
    parent.name === identifier
  );
}

type StaticText = { sql: string } | { dynamic: string };

/** Literals and `+` concatenations of literals are static; everything else is built at run time. */
function staticText(expression: ts.Expression): StaticText {
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) {
    return { sql: expression.text };
  }
  if (ts.isParenthesizedExpression(expression)) return staticText(expression.expression);
  if (
    ts.isBinaryExpression(expression) &&
    expression.operatorToken.kind === ts.SyntaxKind.PlusToken
  ) {
    const left = staticText(expression.left);
    if (!('sql' in left)) return left;
    const right = staticText(expression.right);
    return 'sql' in right ? { sql: left.sql + right.sql } : right;
  }
  if (ts.isTemplateExpression(expression)) {
    return { dynamic: 'template literal with ${...} substitutions' };
  }
  if (ts.isIdentifier(expression)) return { dynamic: `variable ${expression.text}` };
  if (ts.isCallExpression(expression)) return { dynamic: 'function call' };
  return { dynamic: `${ts.SyntaxKind[expression.kind]} expression` };
}

function collectComments(
  sourceFile: ts.SourceFile,
  lineOf: (position: number) => number,
): SourceComment[] {
  const text = sourceFile.getFullText();
  const byStart = new Map<number, SourceComment>();
  const add = (ranges: ts.CommentRange[] | undefined): void => {
    for (const range of ranges ?? []) {
      if (byStart.has(range.pos)) continue;
      const raw = text.slice(range.pos, range.end);
      const body =
        range.kind === ts.SyntaxKind.SingleLineCommentTrivia ? raw.slice(2) : raw.slice(2, -2);
      byStart.set(range.pos, {
        line: lineOf(range.pos),
        endLine: lineOf(range.end),
        text: body.trim(),
      });
    }
  };
  const visit = (node: ts.Node): void => {
    add(ts.getLeadingCommentRanges(text, node.pos));
    add(ts.getTrailingCommentRanges(text, node.end));
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return [...byStart.values()].sort((a, b) => a.line - b.line);
}
