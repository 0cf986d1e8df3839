import type pg from 'pg';
import { GuardedClient } from './guarded-client.js';

/**
 * Parsing and planning a statement costs Postgres more than running it when the statement is a
 * hot one-row write such as booking's data-modifying CTE (measured: ~0.3 ms of ~0.7 ms per call;
 * 22% of the whole machine's CPU under bench:booking). A named prepared statement is parsed once
 * per connection, and once Postgres has seen it a few times it reuses a generic plan.
 *
 * Statements are prepared only when they are hot: a text is given a name the third time this
 * process sends it with parameters, so one-off texts (bulk inserts with a varying number of rows,
 * IN lists) stay unnamed and cost the server no memory. Each connection keeps at most
 * `perConnection` of them. Turned off with DB_PREPARED_STATEMENTS=false, the default when
 * DATABASE_DIRECT_URL differs from DATABASE_URL: a PgBouncer in transaction mode before
 * 1.21 does not track prepared statements.
 */
export class HotStatements {
  private readonly uses = new Map<string, number>();
  private readonly names = new Map<string, string>();

  constructor(
    private readonly promoteAfter = 3,
    private readonly maxTracked = 2_000,
    private readonly maxNamed = 1_000,
  ) {}

  /** The statement's name once it is hot, undefined before. */
  nameFor(text: string): string | undefined {
    const named = this.names.get(text);
    if (named || this.names.size >= this.maxNamed) return named;
    const uses = (this.uses.get(text) ?? 0) + 1;
    if (uses < this.promoteAfter) {
      // Cold texts are forgotten wholesale: a text used often comes back within a few calls.
      if (this.uses.size >= this.maxTracked) this.uses.clear();
      this.uses.set(text, uses);
      return undefined;
    }
    this.uses.delete(text);
    const name = `mas_${this.names.size + 1}`;
    this.names.set(text, name);
    return name;
  }
}

type QueryArgs = Parameters<pg.Client['query']>;

/** A pg Client class (for the pool's `Client` option) that runs hot statements as prepared ones. */
export function preparingClient(hot: HotStatements, perConnection = 100): typeof pg.Client {
  class PreparingClient extends GuardedClient {
    private readonly prepared = new Set<string>();

    // TypeORM calls query(text, values) and awaits the promise; everything else passes through.
    // @ts-expect-error -- one implementation for pg's many overloads, which it forwards unchanged
    override query(...args: QueryArgs) {
      const [text, values, callback] = args as unknown[];
      if (typeof text === 'string' && Array.isArray(values) && values.length && !callback) {
        const name = hot.nameFor(text);
        if (name && (this.prepared.has(name) || this.prepared.size < perConnection)) {
          this.prepared.add(name);
          return super.query({ name, text, values });
        }
      }
      return super.query(...args);
    }
  }
  return PreparingClient as unknown as typeof pg.Client;
}
