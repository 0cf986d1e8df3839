import { type ComparisonOperator, type Expression } from './expression.js';

/*
 * Semantics:
 * - A path walks own data properties of plain objects only (prototype Object.prototype or null).
 *   Prototype members (`constructor`, `__proto__`, `toString`), accessors, arrays, class
 *   instances and anything missing resolve to undefined.
 * - `==` / `!=` are strict equality after treating undefined as null, so `x == null` holds when
 *   x is missing; objects and arrays are equal only to themselves.
 * - `<`, `<=`, `>`, `>=` compare two numbers or two strings (by UTF-16 code units); any other
 *   pair of types is false.
 * - `!`, `&&`, `||` use JavaScript truthiness and always produce a boolean.
 */
export function evaluateExpression(
  expression: Expression,
  scope: Record<string, unknown>,
): unknown {
  switch (expression.kind) {
    case 'literal':
      return expression.value;
    case 'path':
      return resolvePath(scope, expression.segments);
    case 'not':
      return !isTruthy(evaluateExpression(expression.operand, scope));
    case 'logical': {
      const left = isTruthy(evaluateExpression(expression.left, scope));
      const right = (): boolean => isTruthy(evaluateExpression(expression.right, scope));
      return expression.operator === '&&' ? left && right() : left || right();
    }
    case 'comparison':
      return compare(
        expression.operator,
        evaluateExpression(expression.left, scope),
        evaluateExpression(expression.right, scope),
      );
  }
}

/** JavaScript truthiness: false, 0, NaN, "", null and undefined are falsy; all else is truthy. */
export function isTruthy(value: unknown): boolean {
  return Boolean(value);
}

function resolvePath(scope: unknown, segments: readonly string[]): unknown {
  let current = scope;
  for (const segment of segments) {
    if (!isPlainObject(current)) return undefined;
    // Own data properties only: reading an inherited member leaks internals, a getter runs code.
    const descriptor = Object.getOwnPropertyDescriptor(current, segment);
    if (!descriptor || !('value' in descriptor)) return undefined;
    current = descriptor.value as unknown;
  }
  return current;
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function compare(operator: ComparisonOperator, left: unknown, right: unknown): boolean {
  switch (operator) {
    case '==':
      return (left ?? null) === (right ?? null);
    case '!=':
      return (left ?? null) !== (right ?? null);
    default:
      return compareOrdered(operator, left, right);
  }
}

type OrderOperator = Exclude<ComparisonOperator, '==' | '!='>;

function compareOrdered(operator: OrderOperator, left: unknown, right: unknown): boolean {
  if (typeof left === 'number' && typeof right === 'number') return order(operator, left, right);
  if (typeof left === 'string' && typeof right === 'string') return order(operator, left, right);
  return false;
}

function order<T extends number | string>(operator: OrderOperator, left: T, right: T): boolean {
  switch (operator) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
  }
}
