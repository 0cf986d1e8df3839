import bcrypt from 'bcryptjs';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, type TestApp } from '@mas/testing/test-app.js';

const EMAIL = 'legacy.student@example.com';
const PASSWORD = 'old backend password';

describe('logging in with a password hash imported from the old backend (bcrypt)', () => {
  let database: TestDatabase;
  let app: TestApp;
  let userId: string;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database);
    // As the legacy import writes it: the old bcrypt hash kept verbatim.
    const { rows } = await database.sql(
      `INSERT INTO public.users (email, password_hash, full_name, role)
       VALUES ($1, $2, 'Legacy Student', 'student') RETURNING id`,
      [EMAIL, await bcrypt.hash(PASSWORD, 10)],
    );
    userId = rows[0].id as string;
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const storedHash = async () =>
    (await database.sql('SELECT password_hash FROM public.users WHERE id = $1', [userId])).rows[0]
      .password_hash as string;

  it('refuses a wrong password with the usual 401 and keeps the bcrypt hash', async () => {
    const response = await app
      .http()
      .post('/api/auth/login')
      .send({ email: EMAIL, password: 'not the password' })
      .expect(401);
    expect(response.body).toMatchObject({
      statusCode: 401,
      message: 'email or password is incorrect',
    });
    expect(await storedHash()).toMatch(/^\$2[aby]\$10\$/);
  });

  it('logs in with the old password and upgrades the hash to scrypt in the same request', async () => {
    const token = await login(app, EMAIL.toUpperCase(), PASSWORD);
    expect(token).toEqual(expect.any(String));
    expect(await storedHash()).toMatch(/^scrypt\$/);
  });

  it('keeps working with the upgraded hash, and a wrong password is still refused', async () => {
    await login(app, EMAIL, PASSWORD);
    await app
      .http()
      .post('/api/auth/login')
      .send({ email: EMAIL, password: 'nope nope' })
      .expect(401);
  });
});
