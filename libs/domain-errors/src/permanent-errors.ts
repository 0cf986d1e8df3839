import { DomainError } from './domain-error.js';

/**
 * A failure retrying cannot fix: the same call fails the same way until something else changes.
 * A workflow step that throws one fails its run at once. Thrown as is (not as a subclass below),
 * it is an internal failure, not the client's.
 */
export class PermanentError extends DomainError {}

/** The thing asked for does not exist, or is outside the caller's scope. */
export class NotFoundError extends PermanentError {}

/** The request contradicts existing data or the current state (a duplicate, a wrong status). */
export class ConflictError extends PermanentError {}

/** Well-formed input that breaks a business rule (a reference to the wrong kind of record). */
export class RuleViolationError extends PermanentError {}

/** The caller is known but may not do this. */
export class ForbiddenError extends PermanentError {}

/** The caller could not be identified (wrong credentials). */
export class UnauthenticatedError extends PermanentError {}

/** Input a service got that is malformed (a cursor it never issued, an invalid definition). */
export class InvalidInputError extends PermanentError {}
