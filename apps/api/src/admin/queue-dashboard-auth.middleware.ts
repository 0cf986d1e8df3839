import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { bearerToken } from '@mas/identity';
import {
  clearSessionCookie,
  sessionCookieOf,
  setSessionCookie,
} from './dashboard-session-cookie.js';
import { type DashboardVerdict, type QueueDashboardAccess } from './queue-dashboard-access.js';
import { QUEUE_DASHBOARD_PATH } from './queue-dashboard-path.js';

const UNAUTHENTICATED = {
  bearer: 'a valid bearer token is required',
  ticket: 'the dashboard link is invalid, expired or already used; ask for a new one',
  session: 'the dashboard session is invalid or expired; open a new dashboard link',
  none: 'a valid bearer token or dashboard link is required',
};

type Credential = keyof typeof UNAUTHENTICATED;

/**
 * Guards the dashboard's plain Express mount (outside Nest's guards), in the API's error shape:
 * - `Authorization: Bearer` of an active admin (API clients);
 * - `GET ?ticket=` (a link from POST /api/admin/queues/links): spent once, answered with a
 *   session cookie and a 303 to the dashboard without the ticket;
 * - that session cookie (a browser, for the UI and its JSON API).
 * 401 without valid credentials, 403 for other roles, 503 when a ticket cannot be checked.
 */
export function queueDashboardAuth(access: QueueDashboardAccess): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    authorize(request, response, access)
      .then((allowed) => {
        if (allowed) next();
      })
      .catch(next);
  };
}

/** True when the request may go on to the dashboard; otherwise the response is sent. */
async function authorize(
  request: Request,
  response: Response,
  access: QueueDashboardAccess,
): Promise<boolean> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    return answer(response, await access.byBearer(bearerToken(authorization)), 'bearer');
  }
  if (request.method === 'GET' && request.query.ticket !== undefined) {
    await redeem(request, response, access);
    return false;
  }
  const session = sessionCookieOf(request);
  if (session === undefined) return answer(response, 'unauthenticated', 'none');
  const verdict = await access.bySession(session);
  if (verdict === 'unauthenticated') clearSessionCookie(request, response);
  return answer(response, verdict, 'session');
}

async function redeem(
  request: Request,
  response: Response,
  access: QueueDashboardAccess,
): Promise<void> {
  const ticket = request.query.ticket;
  const redemption =
    typeof ticket === 'string'
      ? await access.redeemTicket(ticket)
      : ({ verdict: 'unauthenticated' } as const);
  if (redemption.verdict !== 'allowed') {
    answer(response, redemption.verdict, 'ticket');
    return;
  }
  setSessionCookie(request, response, redemption.session);
  response.setHeader('Cache-Control', 'no-store');
  response.redirect(303, QUEUE_DASHBOARD_PATH);
}

function answer(response: Response, verdict: DashboardVerdict, credential: Credential): boolean {
  if (verdict === 'allowed') return true;
  const { statusCode, error, message } = {
    unauthenticated: {
      statusCode: 401,
      error: 'Unauthorized',
      message: UNAUTHENTICATED[credential],
    },
    forbidden: { statusCode: 403, error: 'Forbidden', message: 'this route is for admin' },
    unavailable: {
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'the dashboard link cannot be checked right now',
    },
  }[verdict];
  if (statusCode === 503) response.setHeader('Retry-After', '5');
  response.status(statusCode).json({ statusCode, error, message });
  return false;
}
