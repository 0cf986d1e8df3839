import { connectionUrl, type DatabaseConfig, type DatabaseConnection } from './database-config.js';

export function sameConnection(a: DatabaseConnection, b: DatabaseConnection): boolean {
  return connectionUrl(a) === connectionUrl(b);
}

/**
 * Where work that needs a session goes, for a data source on `connection`: DATABASE_DIRECT_URL when
 * `connection` is the configured (pooled) one. Any other connection (the embedded server, a scratch
 * database, a command already on the direct URL) is its own direct connection.
 */
export function directConnectionFor(
  config: DatabaseConfig,
  connection: DatabaseConnection,
): DatabaseConnection {
  return config.connection &&
    config.directConnection &&
    sameConnection(connection, config.connection)
    ? config.directConnection
    : connection;
}

/**
 * True when `connection` reaches the server through a transaction pooler: consecutive
 * transactions of one client may run on different server sessions, so it carries no session state.
 */
export function goesThroughPooler(config: DatabaseConfig, connection: DatabaseConnection): boolean {
  return !sameConnection(connection, directConnectionFor(config, connection));
}
