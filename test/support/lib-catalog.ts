import { type INestApplicationContext } from '@nestjs/common';
import { CatalogService } from '@mas/lms';

/** A course with one batch, through the LMS CatalogService; returns the batch id. */
export async function createLibBatch(
  context: INestApplicationContext,
  course: { code: string; price: string },
): Promise<string> {
  const catalog = context.get(CatalogService);
  const { id: courseId } = await catalog.createCourse({
    ...course,
    title: `Course ${course.code}`,
  });
  const batch = await catalog.createBatch({
    courseId,
    name: `${course.code} batch`,
    startsOn: '2027-01-04',
    capacity: 30,
    price: course.price,
  });
  return batch.id;
}
