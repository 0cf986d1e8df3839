import { BadRequestException } from '@nestjs/common';
import { type ErrorDetail, errorDetail } from '@mas/domain-errors';
import { withDetails } from '@mas/http';
import { findUnsafeInput } from '@mas/persistence';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type InputBoundarySettings } from './input-boundary-settings.js';
import { urlProblems } from './url-problems.js';

function refuse(problems: ErrorDetail[]): BadRequestException {
  return new BadRequestException(withDetails('validation failed', problems));
}

/** Before routing: the raw path and query string decode cleanly and carry no NUL. */
export function rejectUnsafeUrl(): RequestHandler {
  return (request: Request, _response: Response, next: NextFunction) => {
    const problems = urlProblems(request.originalUrl);
    next(problems.length ? refuse(problems) : undefined);
  };
}

/** After the body parsers: the parsed body is bounded in depth and carries no NUL or lone surrogate. */
export function rejectUnsafeBody(settings: InputBoundarySettings): RequestHandler {
  return (request: Request, _response: Response, next: NextFunction) => {
    const body: unknown = request.body;
    const problems =
      body === undefined ? [] : findUnsafeInput(body, { maxDepth: settings.maxJsonDepth });
    next(
      problems.length
        ? refuse(problems.map(({ message, field }) => errorDetail(message, field ?? 'body')))
        : undefined,
    );
  };
}
