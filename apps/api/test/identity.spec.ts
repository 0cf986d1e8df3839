import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';

const USER_FIELDS = [
  'createdAt',
  'email',
  'fullName',
  'id',
  'isActive',
  'role',
  'salesHeadId',
  'stage',
  'updatedAt',
];

describe('identity API', () => {
  let database: TestDatabase;
  let app: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database);
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  describe('register, login, me', () => {
    const password = 'correct horse battery';

    it('registers a student, logs in with any email case, and returns the caller', async () => {
      const registered = await app
        .http()
        .post('/api/auth/register')
        .send({ email: '  Asha.Rao@Example.com ', password, fullName: '  Asha Rao ' })
        .expect(201);
      expect(Object.keys(registered.body).sort()).toEqual(USER_FIELDS);
      expect(registered.body).toMatchObject({
        email: 'asha.rao@example.com',
        fullName: 'Asha Rao',
        role: 'student',
        stage: 'registered',
        isActive: true,
        salesHeadId: null,
      });

      const loggedIn = await app
        .http()
        .post('/api/auth/login')
        .send({ email: 'ASHA.RAO@example.com', password })
        .expect(200);
      expect(typeof loggedIn.body.accessToken).toBe('string');
      expect(loggedIn.body.user.id).toBe(registered.body.id);

      const me = await app
        .http()
        .get('/api/users/me')
        .set(auth(loggedIn.body.accessToken))
        .expect(200);
      expect(me.body).toEqual(registered.body);
    });

    it('refuses a second account for the same email in another case with 409', async () => {
      const response = await app
        .http()
        .post('/api/auth/register')
        .send({ email: 'ASHA.RAO@EXAMPLE.COM', password, fullName: 'Someone Else' })
        .expect(409);
      expect(response.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        message: 'email is already registered',
      });
      const count = await database.sql(
        `SELECT count(*)::int AS n FROM users WHERE email = 'asha.rao@example.com'`,
      );
      expect(count.rows[0].n).toBe(1);
    });

    it('answers wrong credentials with the same 401 whether or not the email exists', async () => {
      const wrongPassword = await app
        .http()
        .post('/api/auth/login')
        .send({ email: 'asha.rao@example.com', password: 'wrong password' })
        .expect(401);
      const unknownEmail = await app
        .http()
        .post('/api/auth/login')
        .send({ email: 'nobody@example.com', password: 'wrong password' })
        .expect(401);
      expect(wrongPassword.body).toEqual(unknownEmail.body);
      expect(wrongPassword.body.message).toBe('email or password is incorrect');
    });

    it('refuses missing, malformed and forged tokens with 401', async () => {
      await app.http().get('/api/users/me').expect(401);
      await app.http().get('/api/users/me').set('Authorization', 'Bearer not-a-jwt').expect(401);
      const forged = `${adminToken.slice(0, -4)}AAAA`;
      await app.http().get('/api/users/me').set(auth(forged)).expect(401);
    });
  });

  describe('validation', () => {
    it('lists every bad field with its reasons and rejects unknown fields', async () => {
      const response = await app
        .http()
        .post('/api/auth/register')
        .send({ email: 'not-an-email', password: 'short', fullName: '', isAdmin: true })
        .expect(400);
      expect(response.body.statusCode).toBe(400);
      expect(response.body.error).toBe('Bad Request');
      expect(response.body.message).toBe('validation failed');
      const fields = (response.body.details as { field: string }[])
        .map((detail) => detail.field)
        .sort();
      expect(fields).toEqual(['email', 'fullName', 'isAdmin', 'password']);
      const count = await database.sql(
        `SELECT count(*)::int AS n FROM users WHERE email = 'not-an-email'`,
      );
      expect(count.rows[0].n).toBe(0);
    });

    it('rejects a non-JSON-object body, a bad uuid, a bad enum and a bad limit with 400', async () => {
      await app
        .http()
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email":')
        .expect(400);
      await app
        .http()
        .patch('/api/users/not-a-uuid')
        .set(auth(adminToken))
        .send({ isActive: false })
        .expect(400);
      const badRole = await app
        .http()
        .get('/api/users?role=wizard')
        .set(auth(adminToken))
        .expect(400);
      expect(badRole.body.details[0].field).toBe('role');
      await app.http().get('/api/users?limit=0').set(auth(adminToken)).expect(400);
      await app.http().get('/api/users?limit=101').set(auth(adminToken)).expect(400);
      await app.http().get('/api/users?cursor=garbage').set(auth(adminToken)).expect(400);
    });
  });

  describe('admin routes: 401 without a token, 403 for every other role', () => {
    const roles = ['student', 'expert', 'sales', 'sales_head'] as const;
    const users: Partial<Record<(typeof roles)[number], TestUser>> = {};

    beforeAll(async () => {
      for (const role of roles) users[role] = await createUserWithRole(app, role, adminToken);
    });

    const adminRoutes = [
      { method: 'get', path: () => '/api/users', body: undefined },
      {
        method: 'post',
        path: () => '/api/users',
        body: { email: 'x@example.com', password: 'long enough pw', fullName: 'X', role: 'sales' },
      },
      { method: 'patch', path: () => `/api/users/${users.student!.id}`, body: { isActive: false } },
    ] as const;

    it.each(adminRoutes.map((route) => [route.method, route]))(
      '%s without a token → 401',
      async (_method, route) => {
        await app.http()[route.method](route.path()).send(route.body).expect(401);
      },
    );

    it.each(
      roles.flatMap((role) => adminRoutes.map((route) => [role, route.method, route] as const)),
    )('%s %s → 403', async (role, _method, route) => {
      const response = await app
        .http()
        [route.method](route.path())
        .set(auth(users[role]!.token))
        .send(route.body)
        .expect(403);
      expect(response.body.error).toBe('Forbidden');
    });

    it('changed nothing through the refused calls', async () => {
      const student = await database.sql(`SELECT is_active FROM users WHERE id = $1`, [
        users.student!.id,
      ]);
      expect(student.rows[0].is_active).toBe(true);
      const created = await database.sql(`SELECT 1 FROM users WHERE email = 'x@example.com'`);
      expect(created.rowCount).toBe(0);
    });
  });

  describe('admin user management', () => {
    it('creates users of any role, assigns a sales head, filters and pages through the list', async () => {
      const head = await createUserWithRole(app, 'sales_head', adminToken);
      const seller = await createUserWithRole(app, 'sales', adminToken);
      const patched = await app
        .http()
        .patch(`/api/users/${seller.id}`)
        .set(auth(adminToken))
        .send({ salesHeadId: head.id, stage: 'active', fullName: 'Renamed Seller' })
        .expect(200);
      expect(patched.body).toMatchObject({
        salesHeadId: head.id,
        stage: 'active',
        fullName: 'Renamed Seller',
        role: 'sales',
      });

      const notAHead = await app
        .http()
        .patch(`/api/users/${seller.id}`)
        .set(auth(adminToken))
        .send({ salesHeadId: seller.id })
        .expect(422);
      expect(notAHead.body.message).toMatch(/sales_head|own sales head/);
      await app
        .http()
        .patch(`/api/users/00000000-0000-4000-8000-000000000000`)
        .set(auth(adminToken))
        .send({ isActive: true })
        .expect(404);

      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string; role: string }[]; nextCursor: string | null } } =
          await app
            .http()
            .get('/api/users')
            .query({ role: 'sales', limit: 1, ...(cursor ? { cursor } : {}) })
            .set(auth(adminToken))
            .expect(200);
        for (const item of page.body.items) {
          expect(item.role).toBe('sales');
          expect(seen.has(item.id)).toBe(false);
          seen.add(item.id);
        }
        cursor = page.body.nextCursor;
      } while (cursor);
      const total = await database.sql(`SELECT count(*)::int AS n FROM users WHERE role = 'sales'`);
      expect(seen.size).toBe(total.rows[0].n);

      const search = await app
        .http()
        .get('/api/users')
        .query({ q: 'Renamed' })
        .set(auth(adminToken))
        .expect(200);
      const found = search.body.items as { id: string }[];
      expect(found.map((user) => user.id)).toEqual([seller.id]);
    });

    it('a deactivated user can neither log in nor use an earlier token', async () => {
      const student = await createUserWithRole(app, 'student', adminToken);
      await app
        .http()
        .patch(`/api/users/${student.id}`)
        .set(auth(adminToken))
        .send({ isActive: false })
        .expect(200);
      await app.http().get('/api/users/me').set(auth(student.token)).expect(401);
      await app
        .http()
        .post('/api/auth/login')
        .send({ email: student.email, password: student.password })
        .expect(401);
    });
  });

  it('no response body and no log line carries a password or a password hash', async () => {
    const password = 'a-very-distinct-password-9137';
    const email = 'leakcheck@example.com';
    const responses = [
      await app.http().post('/api/auth/register').send({ email, password, fullName: 'Leak Check' }),
      await app.http().post('/api/auth/login').send({ email, password }),
      await app
        .http()
        .post('/api/auth/login')
        .send({ email, password: `${password}-wrong` }),
      await app.http().get('/api/users').set(auth(adminToken)),
    ];
    const token = (responses[1].body as { accessToken: string }).accessToken;
    responses.push(await app.http().get('/api/users/me').set(auth(token)));
    const [{ password_hash: hash }] = (
      await database.sql(`SELECT password_hash FROM users WHERE email = $1`, [email])
    ).rows;
    expect(hash).toMatch(/^scrypt\$/);

    for (const response of responses) {
      expect(response.text).not.toContain(password);
      expect(response.text).not.toContain(hash);
      expect(response.text).not.toMatch(/passwordHash|password_hash|scrypt\$/);
    }
    expect(app.logs.length).toBeGreaterThan(0);
    const logText = app.logs.join('\n');
    expect(logText).not.toContain(password);
    expect(logText).not.toContain(hash);
    expect(logText).not.toContain(token);
    expect(logText).not.toMatch(/scrypt\$/);
  });
});

describe('login rate limit', () => {
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database, { LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW_MS: '60000' });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('answers 429 with Retry-After once an address exceeds the limit, even with the right password', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      await app
        .http()
        .post('/api/auth/login')
        .send({ email: TEST_ADMIN.email, password: 'wrong password' })
        .expect(401);
    }
    const limited = await app.http().post('/api/auth/login').send(TEST_ADMIN).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.statusCode).toBe(429);
  });
});
