import type { TestApp } from './test-app.js';

/** A course with one batch, created through the API as the admin; returns the batch id. */
export async function createCourseBatch(
  app: TestApp,
  adminToken: string,
  course: { code: string; title: string; price: string },
  batch: { name: string; startsOn: string; capacity: number },
): Promise<string> {
  const auth = { Authorization: `Bearer ${adminToken}` };
  const created = await app.http().post('/api/lms/courses').set(auth).send(course).expect(201);
  const batchCreated = await app
    .http()
    .post('/api/lms/batches')
    .set(auth)
    .send({ courseId: created.body.id, price: course.price, ...batch })
    .expect(201);
  return batchCreated.body.id as string;
}
