import type { ArgumentsHost } from '@nestjs/common';
import { AllExceptionsFilter, type ErrorBody } from './all-exceptions.filter.js';

export interface FilterAnswer {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

/** What AllExceptionsFilter wrote for `exception`: the status, the JSON body and the headers. */
export function answerOf(exception: unknown): FilterAnswer {
  const sent: Partial<FilterAnswer> & { headers: Record<string, string> } = { headers: {} };
  const response = {
    setHeader: (name: string, value: string) => {
      sent.headers[name] = value;
      return response;
    },
    status: (status: number) => {
      sent.status = status;
      return response;
    },
    json: (body: ErrorBody) => {
      sent.body = body;
      return response;
    },
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => response }),
  } as unknown as ArgumentsHost;
  new AllExceptionsFilter().catch(exception, host);
  return { status: sent.status!, body: sent.body!, headers: sent.headers };
}
