import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BackupRefusedError } from '../errors.js';
import { type ArchiveVisitor } from '../read-archive.js';
import { quoteName, type TableEntry } from '../snapshot/catalog.js';

type CopyInStream = ReturnType<typeof copyFrom>;

/** Streams each table of the archive into `COPY … FROM STDIN` on `client`, with backpressure. */
export class TableLoader implements ArchiveVisitor {
  private copy: CopyInStream | undefined;
  private failure: Error | undefined;

  constructor(private readonly client: pg.Client) {}

  async start(table: TableEntry): Promise<void> {
    const name = quoteName(table.schema, table.name);
    const { rows } = await this.client.query<{ found: boolean }>(
      'SELECT to_regclass($1) IS NOT NULL AS found',
      [name],
    );
    if (!rows[0].found) {
      throw new BackupRefusedError(
        `the restored schema has no table ${table.schema}.${table.name}`,
      );
    }
    const columns = table.columns.map((column) => `"${column.replaceAll('"', '""')}"`);
    this.failure = undefined;
    this.copy = this.client.query(copyFrom(`COPY ${name} (${columns.join(', ')}) FROM STDIN`));
    this.copy.on('error', (error: Error) => (this.failure = error));
  }

  async data(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.copy!.write(chunk)) await once(this.copy!, 'drain');
  }

  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    this.copy!.end();
    await finished(this.copy!);
    this.copy = undefined;
  }
}
