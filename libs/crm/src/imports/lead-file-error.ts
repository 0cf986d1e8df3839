/**
 * The input as a whole cannot be imported (no or wrong CSV header, broken CSV or JSON syntax):
 * nothing is imported, unlike a bad row, which is listed and skipped. `line` (1-based) is where in
 * the text the problem is, when it is known; the message starts with it.
 */
export class LeadFileError extends Error {
  override readonly name = 'LeadFileError';

  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
  }
}
