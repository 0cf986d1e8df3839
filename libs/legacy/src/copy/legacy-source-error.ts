/** The database given with --from is not (or not entirely) the old backend's schema. */
export class LegacySourceError extends Error {
  override readonly name = 'LegacySourceError';
}
