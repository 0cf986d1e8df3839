import type { Request, Response } from 'express';
import type { IssuedScopedToken } from '@mas/identity';
import { QUEUE_DASHBOARD_PATH } from './queue-dashboard-path.js';

export const DASHBOARD_SESSION_COOKIE = 'mas_queue_dashboard';

/**
 * Sent only to the dashboard, never readable by scripts nor sent from another site. Secure when
 * the request came over https (behind a proxy: X-Forwarded-Proto, believed per TRUST_PROXY).
 */
function cookieOptions(request: Request) {
  return {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.secure,
    path: QUEUE_DASHBOARD_PATH,
  } as const;
}

export function setSessionCookie(
  request: Request,
  response: Response,
  session: IssuedScopedToken,
): void {
  response.cookie(DASHBOARD_SESSION_COOKIE, session.token, {
    ...cookieOptions(request),
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(request: Request, response: Response): void {
  response.clearCookie(DASHBOARD_SESSION_COOKIE, cookieOptions(request));
}

/** The session cookie's value, if the request carries one. */
export function sessionCookieOf(request: Request): string | undefined {
  for (const pair of request.headers.cookie?.split(';') ?? []) {
    const separator = pair.indexOf('=');
    if (separator < 0 || pair.slice(0, separator).trim() !== DASHBOARD_SESSION_COOKIE) continue;
    return pair.slice(separator + 1).trim();
  }
  return undefined;
}
