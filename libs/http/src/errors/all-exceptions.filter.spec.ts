import {
  BadRequestException,
  ConflictException,
  HttpException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { errorDetail } from '@mas/domain-errors';
import { answerOf } from './filter-answer.fixture.js';
import { withDetails } from './http-error-details.js';

function driverError(fields: Record<string, string>): Error {
  return Object.assign(new Error('duplicate key value violates unique constraint'), fields);
}

describe('AllExceptionsFilter details', () => {
  it('passes details of the contract shape through', () => {
    const exception = new UnprocessableEntityException(
      withDetails('not enough tokens', [errorDetail('the balance is 1, 2 needed')]),
    );
    expect(answerOf(exception)).toEqual({
      status: 422,
      body: {
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'not enough tokens',
        details: [{ message: 'the balance is 1, 2 needed' }],
      },
      headers: {},
    });
  });

  it("turns Nest's message array into one message and one entry per item", () => {
    const { body } = answerOf(new BadRequestException(['a must be set', 'b must be set']));
    expect(body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'a must be set; b must be set',
      details: [{ message: 'a must be set' }, { message: 'b must be set' }],
    });
  });

  it('never sends details in another shape: an object is left out', () => {
    const { body } = answerOf(new ConflictException({ message: 'no', details: { status: 'x' } }));
    expect(body).toEqual({ statusCode: 409, error: 'Conflict', message: 'no' });
  });

  it('maps a unique violation to 409 with the field, not the value', () => {
    const error = new QueryFailedError(
      'INSERT INTO users …',
      [],
      driverError({
        code: '23505',
        constraint: 'uq_users_email',
        detail: 'Key (email)=(taken@example.com) already exists.',
      }),
    );
    const { status, body } = answerOf(error);
    expect(status).toBe(409);
    expect(body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'a record with the same values already exists',
      details: [{ field: 'email', message: 'is already taken' }],
    });
    expect(JSON.stringify(body)).not.toMatch(/taken@example\.com|INSERT/);
  });

  it('sends no details for a plain HttpException or a malformed JSON body', () => {
    expect(answerOf(new HttpException('gone', 410)).body).toEqual({
      statusCode: 410,
      error: 'Gone',
      message: 'gone',
    });
    const parserError = Object.assign(new Error('Unexpected end of JSON input'), {
      status: 400,
      type: 'entity.parse.failed',
    });
    expect(answerOf(parserError).body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'the request body is not valid JSON',
    });
  });
});
