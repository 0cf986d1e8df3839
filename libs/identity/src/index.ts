export * from './entities/user.entity.js';
export * from './entities/user-role.enum.js';
export * from './auth/auth.decorators.js';
export * from './auth/token.service.js';
export * from './auth/bearer-token.js';
export * from './dto/user.response.js';
export * from './users/users.service.js';
export * from './identity.config.js';
export * from './identity.module.js';
export * from './abuse/identity-redis.js';
export * from './seeds/demo-logins.js';

import { User } from './entities/user.entity.js';

/** Entities this lib owns, for the composition root's DataSource. */
export const IDENTITY_ENTITIES = [User];
