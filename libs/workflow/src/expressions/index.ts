export type {
  ComparisonExpression,
  ComparisonOperator,
  Expression,
  LiteralExpression,
  LiteralValue,
  LogicalExpression,
  LogicalOperator,
  NotExpression,
  PathExpression,
} from './expression.js';
export { ExpressionError } from './expression-error.js';
export { parseExpression, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH } from './parse.js';
export { evaluateExpression, isTruthy } from './evaluate.js';
export { referencedPaths } from './referenced-paths.js';
