import { TEST_ADMIN, type TestApp, login } from './test-app.js';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
}

let counter = 0;

/** Creates a user with the given role through the admin API and logs them in. */
export async function createUserWithRole(
  testApp: TestApp,
  role: string,
  adminToken?: string,
): Promise<TestUser> {
  const token = adminToken ?? (await login(testApp, TEST_ADMIN.email, TEST_ADMIN.password));
  const email = `${role}-${process.pid}-${++counter}-${Date.now()}@test.local`;
  const password = `pw-${role}-${counter}-secret`;
  const created = await testApp
    .http()
    .post('/api/users')
    .set('Authorization', `Bearer ${token}`)
    .send({ email, password, fullName: `Test ${role}`, role })
    .expect(201);
  return {
    id: (created.body as { id: string }).id,
    email,
    password,
    token: await login(testApp, email, password),
  };
}
