/** Injection token of the validated DatabaseConfig. */
export const DATABASE_CONFIG = Symbol('DATABASE_CONFIG');
