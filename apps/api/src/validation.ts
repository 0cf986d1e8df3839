import { BadRequestException, type ValidationError, ValidationPipe } from '@nestjs/common';
import { type ErrorDetail, errorDetail } from '@mas/domain-errors';
import { withDetails } from '@mas/http';

/**
 * Flattens nested class-validator errors into one `{ field: 'a.b', message }` per broken
 * constraint. class-validator starts its messages with the property ("email must be an email");
 * the field already names it, so the message keeps the rest ("must be an email").
 */
export function validationDetails(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      errorDetail(withoutProperty(message, error.property), field),
    );
    return [...own, ...validationDetails(error.children ?? [], field)];
  });
}

function withoutProperty(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

/** Unknown fields are rejected, values are transformed to their declared types, errors are itemised. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new BadRequestException(withDetails('validation failed', validationDetails(errors))),
  });
}
