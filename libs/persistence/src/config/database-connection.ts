/** Where to connect: one PostgreSQL server and database. */
export interface DatabaseConnection {
  host: string;
  port: number;
  username: string;
  password: string | undefined;
  database: string;
}
