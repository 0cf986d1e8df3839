/**
 * Positional parameters for a statement assembled from fragments written in different libraries:
 * each fragment binds its values here and writes the returned placeholder, so no fragment needs to
 * know how many parameters came before it.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds `value` and returns its placeholder (`$n`), with `::cast` appended when given. */
  bind(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}
