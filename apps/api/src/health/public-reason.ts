import { TimeoutError } from '@mas/persistence';
import { Logger } from '@nestjs/common';

const logger = new Logger('Health');

/**
 * Why a component is down, fit for an unauthenticated probe: slow or unreachable, never the driver's
 * text, which names hosts, ports, users and databases. The full error goes to the server log.
 */
export function publicReason(component: string, error: unknown): string {
  logger.warn(
    `${component} check failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  return error instanceof TimeoutError
    ? `${component} did not answer in time`
    : `${component} is unreachable`;
}
