import { UserRole } from '@mas/identity';
import { type LibModule, startLibModule } from '@mas/testing/lib-module.js';
import { createLibUser, libIdentityModule } from '@mas/testing/lib-users.js';
import { CrmModule } from '../crm.module.js';
import { LeadImportService, ownerOfImportedLeads } from './lead-import.service.js';
import { type SourceRow } from './source-row.js';

/** The lead import on the CRM module: what it writes, and imports that run at the same time. */
describe('LeadImportService (lib integration)', () => {
  let lib: LibModule;
  let importer: LeadImportService;

  beforeAll(async () => {
    lib = await startLibModule([libIdentityModule(), CrmModule]);
    importer = lib.context.get(LeadImportService);
  });
  afterAll(() => lib.close());

  /** Rows of people `from`..`to` (exclusive), from `source`. */
  const people = (source: string, from: number, to: number): SourceRow[] =>
    Array.from({ length: to - from }, (_, i) => ({
      row: i + 1,
      fields: { fullName: `Person ${from + i}`, email: `p${from + i}@import.test`, source },
    }));
  const countOf = async (source: string) =>
    (
      await lib.database.sql('SELECT count(*)::int AS n FROM mas_crm.leads WHERE source = $1', [
        source,
      ])
    ).rows[0].n;

  it('N concurrent imports of overlapping files insert each (source, email) once', async () => {
    // Four files of 300 rows, each overlapping the next by 200: 600 distinct people.
    const files = [0, 100, 200, 300].map((from) => people('fair', from, from + 300));
    const summaries = await Promise.all(
      files.map((rows) => importer.import(rows, { ownerId: null })),
    );
    const total = (field: 'inserted' | 'skipped') =>
      summaries.reduce((sum, summary) => sum + summary[field], 0);
    expect(total('inserted')).toBe(600);
    expect(total('skipped')).toBe(1200 - 600);
    expect(summaries.flatMap((summary) => summary.invalid)).toEqual([]);
    expect(await countOf('fair')).toBe(600);
  });

  it('lists bad rows, writes the rest once, and reports progress up to every row', async () => {
    const rows: SourceRow[] = [
      ...people('web', 0, 3),
      { row: 4, fields: { fullName: 'No source', email: 'x@import.test' } },
      { row: 5, unreadable: 'unterminated quote' },
      { row: 6, fields: { fullName: 'Again', email: 'P0@IMPORT.TEST', source: 'web' } },
    ];
    const progress: number[] = [];
    const summary = await importer.import(rows, {
      ownerId: null,
      onProgress: (done) => progress.push(done),
    });
    expect(summary).toMatchObject({ inserted: 3, skipped: 1 });
    expect(summary.invalid.map((invalid) => invalid.row)).toEqual([4, 5]);
    expect(summary.invalid[1].reason).toBe('unterminated quote');
    expect(progress.at(-1)).toBe(rows.length);
    expect(await countOf('web')).toBe(3);
  });

  it("a sales head owns the leads they import; an admin's stay unassigned", async () => {
    const head = await createLibUser(lib.context, UserRole.SalesHead);
    const admin = await createLibUser(lib.context, UserRole.Admin);
    for (const [who, source] of [
      [head, 'by-head'],
      [admin, 'by-admin'],
    ] as const)
      await importer.import(people(source, 0, 2), { ownerId: ownerOfImportedLeads(who) });
    const owners = await lib.database.sql(
      `SELECT source, array_agg(DISTINCT owner_id) AS owners FROM mas_crm.leads
        WHERE source LIKE 'by-%' GROUP BY source ORDER BY source`,
    );
    expect(owners.rows).toEqual([
      { source: 'by-admin', owners: [null] },
      { source: 'by-head', owners: [head.id] },
    ]);
  });
});
