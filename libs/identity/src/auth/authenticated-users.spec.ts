import { ServerBusyError } from '@mas/domain-errors';
import type { User } from '../entities/user.entity.js';
import type { IdentityConfig } from '../identity.config.js';
import { AuthenticatedUsers } from './authenticated-users.js';

const config = { authCacheTtlMs: 60_000, authLoadWaitMs: 50 } as IdentityConfig;
const user = { id: 'u1', isActive: true } as User;

describe('AuthenticatedUsers', () => {
  it('shares one load among concurrent requests for a user, and caches its row', async () => {
    const users = new AuthenticatedUsers(config);
    let loads = 0;
    const load = () => Promise.resolve(user).finally(() => loads++);
    expect(await Promise.all([users.get('u1', load), users.get('u1', load)])).toEqual([user, user]);
    expect(await users.get('u1', load)).toBe(user);
    expect(loads).toBe(1);
  });

  it('a request joining a load that hangs (a stalled database) gets a 503 after authLoadWaitMs', async () => {
    const users = new AuthenticatedUsers(config);
    let finishLoad!: (loaded: User) => void;
    const stalled = new Promise<User>((resolve) => (finishLoad = resolve));
    const first = users.get('u1', () => stalled);
    const joiner = users.get('u1', () => Promise.reject(new Error('a joiner must not load')));
    await expect(joiner).rejects.toBeInstanceOf(ServerBusyError);
    finishLoad(user);
    // The request that started the load holds its connection and gets its answer.
    expect(await first).toBe(user);
    expect(await users.get('u1', () => Promise.reject(new Error('cached')))).toBe(user);
  });
});
