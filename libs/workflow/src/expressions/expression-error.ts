/** A syntax or limit error in an expression; its message is safe to return to API users. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';

  /** `position` is the 0-based character offset in the source; `hint` is appended in brackets. */
  constructor(
    reason: string,
    readonly position: number,
    hint?: string,
  ) {
    super(`${reason} at ${position}${hint ? ` (${hint})` : ''}`);
  }
}
