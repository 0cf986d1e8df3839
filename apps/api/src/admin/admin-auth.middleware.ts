import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { TokenService, UserRole } from '@mas/identity';

/**
 * Guards a plain Express mount (outside Nest's guards): a valid bearer token of an active admin,
 * 401 without a valid token, 403 for other roles, in the API's error shape. The user is loaded
 * like the global guard does, so a deactivated or demoted admin loses access at once.
 */
export function adminOnly(tokens: TokenService): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    authorize(request, tokens)
      .then((status) => {
        if (status === 200) return next();
        const body =
          status === 401
            ? {
                statusCode: 401,
                error: 'Unauthorized',
                message: 'a valid bearer token is required',
              }
            : { statusCode: 403, error: 'Forbidden', message: 'this route is for admin' };
        response.status(status).json(body);
      })
      .catch(next);
  };
}

async function authorize(request: Request, tokens: TokenService): Promise<200 | 401 | 403> {
  const token = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const user = await tokens.authenticate(token);
  if (!user) return 401;
  return user.role === UserRole.Admin ? 200 : 403;
}
