import { ValidateBy, type ValidationOptions } from 'class-validator';

/** The value, serialized as JSON, is at most `bytes` long (a bound on what lands in jsonb). */
export function MaxJsonSize(bytes: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxJsonSize',
      validator: {
        validate: (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '') <= bytes,
        defaultMessage: (args) => `${args?.property} must be at most ${bytes} bytes of JSON`,
      },
    },
    options,
  );
}
