import { BadRequestException, Param, ParseUUIDPipe } from '@nestjs/common';
import { errorDetail } from '@mas/domain-errors';
import { withDetails } from '../errors/http-error-details.js';

/**
 * A path parameter that must be a UUID: `@UuidParam('id') id: string`. Anything else is a 400
 * naming the parameter (`id must be a UUID`), where Nest's own pipe names none.
 */
export function UuidParam(name: string): ParameterDecorator {
  return Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new BadRequestException(
          withDetails(`${name} must be a UUID`, [errorDetail('must be a UUID', name)]),
        ),
    }),
  );
}
