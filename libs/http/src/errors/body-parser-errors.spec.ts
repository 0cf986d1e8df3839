import { HttpException } from '@nestjs/common';
import { bodyParserFailureOf } from './body-parser-errors.js';

function parserError(status: number, type: string, extra: object = {}): Error {
  return Object.assign(new Error('raw parser message'), {
    status,
    statusCode: status,
    type,
    expose: true,
    ...extra,
  });
}

describe('bodyParserFailureOf', () => {
  it.each([
    ['entity.parse.failed', 400, 'the request body is not valid JSON'],
    ['entity.too.large', 413, 'the request body is too large (limit 102400 bytes)'],
    ['charset.unsupported', 415, 'raw parser message'],
    ['encoding.unsupported', 415, 'raw parser message'],
    ['parameters.too.many', 413, 'the request body has too many parameters'],
  ])('maps %s to %i', (type, status, message) => {
    expect(bodyParserFailureOf(parserError(status, type, { limit: 102400 }))).toEqual({
      status,
      message,
    });
  });

  it('recognises the error inside the HttpException Nest wraps it in', () => {
    const wrapped = new HttpException('x', 400, { cause: parserError(400, 'entity.parse.failed') });
    expect(bodyParserFailureOf(wrapped)?.status).toBe(400);
  });

  it('leaves other errors alone, 5xx parser errors included', () => {
    expect(bodyParserFailureOf(new Error('boom'))).toBeNull();
    expect(bodyParserFailureOf(new HttpException('nope', 404))).toBeNull();
    expect(bodyParserFailureOf(parserError(500, 'stream.not.readable'))).toBeNull();
    expect(bodyParserFailureOf(undefined)).toBeNull();
  });
});
