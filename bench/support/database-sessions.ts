import pg from 'pg';

/** Sessions opened one by one on a database, and closed together when it goes. */
export class DatabaseSessions {
  private readonly open = new Set<pg.Client>();

  constructor(private readonly url: string) {}

  /** A connected client of its own: for a lock or a transaction held across calls. */
  async session(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('error', () => undefined);
    client.on('end', () => this.open.delete(client));
    this.open.add(client);
    await client.connect();
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open].map((client) => client.end()));
  }
}
