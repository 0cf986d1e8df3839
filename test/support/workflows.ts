import { type TestApp } from './test-app.js';

/**
 * Saves a new version of each default workflow without its trigger, as an admin would to stop
 * automatic runs: for suites that drive applications through their lifecycle by hand.
 */
export async function pauseDefaultWorkflows(app: TestApp, adminToken: string): Promise<void> {
  const auth = { Authorization: `Bearer ${adminToken}` };
  for (const key of ['application_review', 'pap_onboarding']) {
    const [latest] = (await app.http().get(`/api/workflow/definitions?key=${key}`).set(auth))
      .body as { name: string; config: unknown }[];
    await app
      .http()
      .post('/api/workflow/definitions')
      .set(auth)
      .send({ key, name: `${latest.name} (paused)`, config: latest.config })
      .expect(201);
  }
}
