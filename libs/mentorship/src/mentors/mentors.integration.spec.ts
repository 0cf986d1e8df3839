import { randomUUID } from 'node:crypto';
import { FinanceModule } from '@mas/finance';
import { UserRole } from '@mas/identity';
import { type LibModule, startLibModule } from '@mas/testing/lib-module.js';
import { createLibUser, libIdentityModule } from '@mas/testing/lib-users.js';
import { MentorshipModule } from '../mentorship.module.js';
import { MentorsService } from './mentors.service.js';

describe('MentorsService (mentorship lib, on Postgres)', () => {
  let lib: LibModule;
  let mentors: MentorsService;

  const profilesOf = async (userId: string) =>
    (await lib.database.sql('SELECT headline FROM mentor_profiles WHERE user_id = $1', [userId]))
      .rows;
  const headlinesFor = async (q: string) =>
    (await mentors.list({ q, limit: 100 }, randomUUID())).items
      .map((profile) => profile.headline)
      .sort();

  beforeAll(async () => {
    lib = await startLibModule([libIdentityModule(), FinanceModule, MentorshipModule]);
    mentors = lib.context.get(MentorsService);
  });

  afterAll(async () => {
    await lib?.close();
  });

  it('replaces a profile in place, clearing what the new one leaves out', async () => {
    const expert = await createLibUser(lib.context, UserRole.Expert);
    const first = await mentors.upsert(expert.id, {
      headline: 'Old',
      expertise: ['a'],
      bio: 'bio',
    });
    const second = await mentors.upsert(expert.id, { headline: 'New', expertise: [] });
    expect(second).toMatchObject({ id: first.id, headline: 'New', expertise: [], bio: null });
    expect(await profilesOf(expert.id)).toEqual([{ headline: 'New' }]);
  });

  it('8 concurrent upserts by one expert: one profile, holding one of the headlines', async () => {
    const expert = await createLibUser(lib.context, UserRole.Expert);
    const headlines = Array.from({ length: 8 }, (_, n) => `Race ${n}`);
    await Promise.all(
      headlines.map((headline) => mentors.upsert(expert.id, { headline, expertise: [] })),
    );
    const rows = await profilesOf(expert.id);
    expect(rows).toHaveLength(1);
    expect(headlines).toContain(rows[0].headline);
  });

  it('searches headlines by case-insensitive prefix, taking % and _ literally', async () => {
    for (const headline of [
      'Rust_systems',
      'RustXsystems',
      '100% Postgres',
      '100 percent',
      'Trust me',
    ]) {
      await mentors.upsert((await createLibUser(lib.context, UserRole.Expert)).id, {
        headline,
        expertise: [],
      });
    }
    expect(await headlinesFor('rust')).toEqual(['RustXsystems', 'Rust_systems']);
    expect(await headlinesFor('RUST_')).toEqual(['Rust_systems']);
    expect(await headlinesFor('100%')).toEqual(['100% Postgres']);
    expect(await headlinesFor('systems')).toEqual([]);
  });
});
