import type { Redis } from 'ioredis';

/**
 * The Redis connection the abuse limiters count in. Identity does not own one: the composition root
 * provides it (`IdentityModule.forRoot(config, { redis })`). It should fail fast while Redis is down
 * (no offline queue); the limiters then fall back to per-process counting.
 */
export const IDENTITY_REDIS = Symbol('IDENTITY_REDIS');

export type IdentityRedis = Pick<Redis, 'eval'>;
