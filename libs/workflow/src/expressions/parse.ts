import { type ComparisonOperator, type Expression, type LogicalOperator } from './expression.js';
import { ExpressionError } from './expression-error.js';
import { type Token, tokenize } from './tokenize.js';

export const MAX_EXPRESSION_LENGTH = 500;
/** How deeply parentheses and `!` may nest; it also bounds the parser's recursion. */
export const MAX_EXPRESSION_DEPTH = 32;

const EQUALITY: readonly ComparisonOperator[] = ['==', '!='];
const RELATIONAL: readonly ComparisonOperator[] = ['<', '<=', '>', '>='];

/**
 * Grammar, lowest precedence first:
 *   or         = and ("||" and)*
 *   and        = equality ("&&" equality)*
 *   equality   = relational (("==" | "!=") relational)?
 *   relational = unary (("<" | "<=" | ">" | ">=") unary)?
 *   unary      = "!" unary | primary
 *   primary    = literal | path | "(" or ")"
 * Comparisons do not chain (`a < b < c` is an error): parenthesize to compare a comparison.
 */
export function parseExpression(source: string): Expression {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(
      `expression is longer than ${MAX_EXPRESSION_LENGTH} characters`,
      MAX_EXPRESSION_LENGTH,
    );
  }
  return new Parser(tokenize(source)).parse();
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): Expression {
    if (this.peek().kind === 'end') throw new ExpressionError('expression is empty', 0);
    const expression = this.parseOr();
    const trailing = this.peek();
    if (trailing.kind !== 'end') {
      throw unexpected(
        trailing,
        trailing.text === ')' ? 'no "(" to close' : 'expected an operator',
      );
    }
    return expression;
  }

  private parseOr(): Expression {
    return this.parseLogical('||', () => this.parseAnd());
  }

  private parseAnd(): Expression {
    return this.parseLogical('&&', () => this.parseEquality());
  }

  private parseLogical(operator: LogicalOperator, parseOperand: () => Expression): Expression {
    let left = parseOperand();
    while (this.peek().text === operator) {
      const { position } = this.next();
      left = { kind: 'logical', operator, left, right: parseOperand(), position };
    }
    return left;
  }

  private parseEquality(): Expression {
    return this.parseComparison(EQUALITY, () => this.parseRelational());
  }

  private parseRelational(): Expression {
    return this.parseComparison(RELATIONAL, () => this.parseUnary());
  }

  private parseComparison(
    operators: readonly ComparisonOperator[],
    parseOperand: () => Expression,
  ): Expression {
    const left = parseOperand();
    const operator = this.matchOperator(operators);
    if (!operator) return left;
    const { position } = this.next();
    const right = parseOperand();
    const chained = this.peek();
    if (this.matchOperator(operators)) {
      throw unexpected(chained, 'comparisons cannot be chained; use parentheses');
    }
    return { kind: 'comparison', operator, left, right, position };
  }

  private parseUnary(): Expression {
    const token = this.peek();
    if (token.text !== '!') return this.parsePrimary();
    this.next();
    this.enter(token);
    const operand = this.parseUnary();
    this.depth -= 1;
    return { kind: 'not', operand, position: token.position };
  }

  private parsePrimary(): Expression {
    const token = this.next();
    switch (token.kind) {
      case 'literal':
        return { kind: 'literal', value: token.value, position: token.position };
      case 'path':
        return { kind: 'path', segments: token.segments, position: token.position };
      case 'punctuator':
        if (token.text === '(') return this.parseParenthesized(token);
        throw unexpected(token);
      case 'end':
        throw unexpected(token);
    }
  }

  private parseParenthesized(open: Token): Expression {
    this.enter(open);
    const inner = this.parseOr();
    const close = this.next();
    if (close.text !== ')') {
      throw unexpected(close, `missing ")" for the "(" at ${open.position}`);
    }
    this.depth -= 1;
    return inner;
  }

  private enter(token: Token): void {
    this.depth += 1;
    if (this.depth > MAX_EXPRESSION_DEPTH) {
      throw new ExpressionError(
        `expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep`,
        token.position,
      );
    }
  }

  private matchOperator(operators: readonly ComparisonOperator[]): ComparisonOperator | undefined {
    const { text } = this.peek();
    return operators.find((operator) => operator === text);
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  /** Consumes a token; the final `end` token is never consumed past. */
  private next(): Token {
    const token = this.tokens[this.index];
    if (token.kind !== 'end') this.index += 1;
    return token;
  }
}

function unexpected(token: Token, hint?: string): ExpressionError {
  const what = token.kind === 'end' ? 'end of expression' : JSON.stringify(token.text);
  return new ExpressionError(`unexpected ${what}`, token.position, hint);
}
