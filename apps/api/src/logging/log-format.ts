import { createRequire } from 'node:module';
import type { DestinationStream } from 'pino';
import type { PrettyOptions } from 'pino-pretty';
import { ConfigError } from '@mas/persistence';
import type { AppConfig } from '../config/app-config.js';

export type LogFormat = 'json' | 'pretty';

/**
 * LOG_FORMAT when set; otherwise pretty for a person at a terminal (a TTY outside production) and
 * JSON for everything that collects logs: pipes, files, containers, production.
 */
export function chooseLogFormat(
  config: Pick<AppConfig, 'logFormat' | 'nodeEnv'>,
  destinationIsTty: boolean,
): LogFormat {
  return (
    config.logFormat ?? (destinationIsTty && config.nodeEnv !== 'production' ? 'pretty' : 'json')
  );
}

function isTty(destination: DestinationStream): boolean {
  return (destination as { isTTY?: boolean }).isTTY === true;
}

/** Where pino writes: `destination` itself for JSON, or a pino-pretty stream in front of it. */
export function formattedDestination(
  config: Pick<AppConfig, 'logFormat' | 'nodeEnv'>,
  destination: DestinationStream,
): DestinationStream {
  const format = chooseLogFormat(config, isTty(destination));
  return format === 'pretty' ? prettyDestination(destination) : destination;
}

/**
 * pino-pretty in this process (no worker thread), writing to `destination`. It is a devDependency,
 * loaded only when chosen: a production image without it still starts with JSON logs.
 */
function prettyDestination(destination: DestinationStream): DestinationStream {
  let pretty: (options: PrettyOptions) => DestinationStream;
  try {
    pretty = createRequire(import.meta.url)('pino-pretty') as typeof pretty;
  } catch {
    throw new ConfigError(
      'LOG_FORMAT',
      'pretty needs the pino-pretty package (a devDependency); use json here',
    );
  }
  return pretty({
    destination,
    colorize: isTty(destination),
    translateTime: 'SYS:HH:MM:ss.l',
    // Nest's logger context ("InstanceLoader", "RouterExplorer") as a prefix, not a field below.
    messageFormat: '{if context}[{context}] {end}{msg}',
    ignore: 'pid,hostname,context',
    sync: true,
  });
}
