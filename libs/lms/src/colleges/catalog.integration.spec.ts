import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '@mas/domain-errors';
import { concurrently } from '@mas/testing/concurrently.js';
import { expectDomainError, expectRefusal } from '@mas/testing/domain-errors.js';
import { type LibModule, startLibModule } from '@mas/testing/lib-module.js';
import { libIdentityModule } from '@mas/testing/lib-users.js';
import { LmsModule } from '../lms.module.js';
import { CatalogService } from './catalog.service.js';

/** The LMS catalogue on its module: unique course codes, batches of known courses, college search. */
describe('CatalogService (lib integration)', () => {
  /** Lists name their reader (whose own writes they must show); no replica here. */
  const reader = randomUUID();
  let lib: LibModule;
  let catalog: CatalogService;

  beforeAll(async () => {
    lib = await startLibModule([libIdentityModule(), LmsModule]);
    catalog = lib.context.get(CatalogService);
  });
  afterAll(() => lib.close());

  it('N concurrent creates of one course code make one course', async () => {
    const { fulfilled, rejected } = await concurrently(
      Array.from(
        { length: 6 },
        (_, i) => () =>
          catalog.createCourse({ code: 'RACE-1', title: `Attempt ${i}`, price: '10.00' }),
      ),
    );
    expect(fulfilled).toHaveLength(1);
    for (const error of rejected)
      expectDomainError(error, ConflictError, 'course code RACE-1 already exists');
    const courses = await lib.database.sql(`SELECT title FROM courses WHERE code = 'RACE-1'`);
    expect(courses.rows).toEqual([{ title: fulfilled[0].title }]);
  });

  it('refuses a batch of an unknown course, writing nothing', async () => {
    await expectRefusal(
      catalog.createBatch({
        courseId: '00000000-0000-4000-8000-000000000000',
        name: 'orphan',
        startsOn: '2027-01-04',
        capacity: 10,
        price: '10.00',
      }),
      NotFoundError,
      'course not found',
    );
    expect((await lib.database.sql(`SELECT 1 FROM batches WHERE name = 'orphan'`)).rowCount).toBe(
      0,
    );
  });

  it('finds colleges by case-insensitive name prefix, LIKE wildcards taken literally, each once across pages', async () => {
    const names = [
      'Alpha Institute',
      'ALPHA College',
      'alphabet School',
      'Beta Alpha',
      '100% Tech',
    ];
    for (const name of names)
      await lib.database.sql(`INSERT INTO colleges (name, city, state) VALUES ($1, 'Pune', 'MH')`, [
        name,
      ]);
    const found: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await catalog.colleges({ q: 'alPHA', limit: 2, cursor }, reader);
      found.push(...page.items.map((college) => college.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(found.sort()).toEqual(['ALPHA College', 'Alpha Institute', 'alphabet School']);
    expect((await catalog.colleges({ q: '%' }, reader)).items).toEqual([]);
    expect((await catalog.colleges({ q: '100%' }, reader)).items.map((c) => c.name)).toEqual([
      '100% Tech',
    ]);
  });
});
