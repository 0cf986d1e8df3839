/**
 * The input as a whole cannot be imported (no or wrong CSV header, broken CSV or JSON syntax):
 * nothing is imported, unlike a bad row, which is listed and skipped.
 */
export class LeadFileError extends Error {
  override readonly name = 'LeadFileError';
}
