/** The parsed form of a branch condition. Plain data: it can be serialized and compared. */
export type Expression =
  LiteralExpression | PathExpression | NotExpression | LogicalExpression | ComparisonExpression;

export type LiteralValue = string | number | boolean | null;
export type LogicalOperator = '&&' | '||';
export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** Every node carries the 0-based offset of its token (the operator for binary nodes). */
export interface LiteralExpression {
  readonly kind: 'literal';
  readonly value: LiteralValue;
  readonly position: number;
}

export interface PathExpression {
  readonly kind: 'path';
  readonly segments: readonly string[];
  readonly position: number;
}

export interface NotExpression {
  readonly kind: 'not';
  readonly operand: Expression;
  readonly position: number;
}

export interface LogicalExpression {
  readonly kind: 'logical';
  readonly operator: LogicalOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly position: number;
}

export interface ComparisonExpression {
  readonly kind: 'comparison';
  readonly operator: ComparisonOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly position: number;
}
