import { type Expression } from './expression.js';

/** The dotted paths an expression reads, each once, in order of first appearance. */
export function referencedPaths(expression: Expression): string[] {
  const paths = new Set<string>();
  collect(expression, paths);
  return [...paths];
}

function collect(expression: Expression, paths: Set<string>): void {
  switch (expression.kind) {
    case 'literal':
      return;
    case 'path':
      paths.add(expression.segments.join('.'));
      return;
    case 'not':
      collect(expression.operand, paths);
      return;
    case 'logical':
    case 'comparison':
      collect(expression.left, paths);
      collect(expression.right, paths);
      return;
  }
}
