import { jest } from '@jest/globals';
import { type LibModule, startLibModule } from '@mas/testing/lib-module.js';
import { createLibUser, libIdentityModule } from '@mas/testing/lib-users.js';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { UserRole } from '../entities/user-role.enum.js';
import { UsersService } from './users.service.js';

/** What authentication reads when its cached user has expired (users.service.ts, user-rows.ts). */
describe('UsersService.loadForAuthentication (identity lib, on Postgres)', () => {
  let lib: LibModule;
  let users: UsersService;
  let sent: jest.SpiedFunction<EntityManager['query']>;
  const loadStatements = () =>
    sent.mock.calls.filter(([sql]) => sql.includes('FROM users WHERE id = ANY(')).length;

  beforeAll(async () => {
    lib = await startLibModule([libIdentityModule()]);
    users = lib.context.get(UsersService);
    sent = jest.spyOn(lib.context.get(DataSource).manager, 'query');
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await lib?.close();
  });

  it('gives loads started together each its own user, as findById reads it, from one statement', async () => {
    const created = await Promise.all([
      createLibUser(lib.context, UserRole.Student),
      createLibUser(lib.context, UserRole.Expert),
      createLibUser(lib.context, UserRole.Admin),
    ]);
    const expected = await Promise.all(created.map((user) => users.findById(user.id)));
    sent.mockClear();

    const loaded = await Promise.all([
      ...created.map((user) => users.loadForAuthentication(user.id)),
      users.loadForAuthentication(created[0].id.toUpperCase()),
      users.loadForAuthentication(randomUUID()),
      users.loadForAuthentication('not-a-uuid'),
    ]);

    expect(loaded).toEqual([...expected, expected[0], null, null]);
    expect(loaded[0]?.passwordHash).toBeUndefined();
    expect(loadStatements()).toBe(1);
  });

  it('reads the row as committed now: a deactivation or a revocation shows at the next load', async () => {
    const user = await createLibUser(lib.context, UserRole.Student);
    expect(await users.loadForAuthentication(user.id)).toMatchObject({
      isActive: true,
      tokenVersion: 0,
      role: UserRole.Student,
    });

    await lib.database.sql(
      `UPDATE users SET is_active = false, token_version = token_version + 1, role = 'expert'
        WHERE id = $1`,
      [user.id],
    );

    expect(await users.loadForAuthentication(user.id)).toMatchObject({
      isActive: false,
      tokenVersion: 1,
      role: UserRole.Expert,
    });
  });

  it('fails every load of a statement that fails, and the next loads read again', async () => {
    const user = await createLibUser(lib.context, UserRole.Student);
    sent.mockRejectedValueOnce(new Error('connection terminated'));

    await expect(
      Promise.all([users.loadForAuthentication(user.id), users.loadForAuthentication(user.id)]),
    ).rejects.toThrow('connection terminated');

    expect(await users.loadForAuthentication(user.id)).toMatchObject({ id: user.id });
  });
});
