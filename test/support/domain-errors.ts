import { type DomainError } from '@mas/domain-errors';

type DomainErrorClass = abstract new (...args: never[]) => DomainError;

/**
 * `error` is a `type` (the class itself: Jest's toThrow/toEqual on an error compare only its
 * message) with `message`.
 */
export function expectDomainError(error: unknown, type: DomainErrorClass, message: string): void {
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toBe(message);
}

/** `promise` rejects with a `type` carrying `message`. */
export async function expectRefusal(
  promise: Promise<unknown>,
  type: DomainErrorClass,
  message: string,
): Promise<void> {
  expectDomainError(
    await promise.then(
      () => new Error('expected a refusal, but the call succeeded'),
      (error: unknown) => error,
    ),
    type,
    message,
  );
}
