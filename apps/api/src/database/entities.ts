import { IDENTITY_ENTITIES } from '@mas/identity';

/** Every entity of every lib: the composition root is the one place that knows them all. */
export const ALL_ENTITIES = [...IDENTITY_ENTITIES];
