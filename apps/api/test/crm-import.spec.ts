import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, testEnv, type TestApp } from '@mas/testing/test-app.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';
import { childOutput } from '@mas/testing/child-output.js';

const CLI = fileURLToPath(new URL('../../../dist/apps/api/src/cli/crm-import.js', import.meta.url));

describe('crm: lead import (HTTP and command line)', () => {
  let database: TestDatabase;
  let app: TestApp;
  let adminToken: string;
  let salesHead: TestUser;
  let sales: TestUser;
  let student: TestUser;
  let workDir: string;

  const post = (token: string) =>
    app.http().post('/api/crm/leads/import').set('Authorization', `Bearer ${token}`);
  const importJson = (token: string, body: unknown) => post(token).send(body as object);
  const importCsv = (token: string, text: string) =>
    post(token).set('Content-Type', 'text/csv').send(text);
  const leadsBySource = async (source: string) =>
    (
      await database.sql(
        `SELECT full_name, email, phone, platform, status, owner_id FROM mas_crm.leads
          WHERE source = $1 ORDER BY full_name`,
        [source],
      )
    ).rows;
  const leadCount = async () =>
    Number((await database.sql('SELECT count(*) AS n FROM mas_crm.leads')).rows[0].n);

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database);
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    salesHead = await createUserWithRole(app, 'sales_head', adminToken);
    sales = await createUserWithRole(app, 'sales', adminToken);
    student = await createUserWithRole(app, 'student', adminToken);
    workDir = await mkdtemp(join(tmpdir(), 'crm-import-'));
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('imports a JSON array: skips duplicates in the body and in the table, lists bad rows, keeps the good ones', async () => {
    await app
      .http()
      .post('/api/crm/leads')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ fullName: 'Already There', email: 'there@example.com', source: 'json-test' })
      .expect(201);

    const response = await importJson(salesHead.token, [
      {
        fullName: ' Ann Lee ',
        email: ' ANN@Example.com ',
        phone: '+1 555 0100',
        source: 'JSON-Test',
        platform: 'web',
        status: 'contacted',
      },
      { fullName: 'Ann Again', email: 'ann@example.com', source: 'json-test' },
      { fullName: 'Already There Too', email: 'THERE@example.com', source: 'json-test' },
      { fullName: 'Bad Email', email: 'not-an-email', source: 'json-test' },
      { fullName: 'No Source', email: 'nosource@example.com' },
      { fullName: 'Extra Field', email: 'extra@example.com', source: 'json-test', tags: ['x'] },
      { fullName: 'Bad Status', email: 'status@example.com', source: 'json-test', status: 'won' },
      42,
      { fullName: 'No Email', source: 'json-test' },
      { fullName: 'Ann Other Source', email: 'ann@example.com', source: 'json-test-2' },
    ]).expect(200);

    expect(response.body).toEqual({
      inserted: 3,
      skipped: 2,
      invalid: [
        { row: 4, reason: 'email must be an email' },
        {
          row: 5,
          reason: 'source must be 1-60 lower-case letters, digits, _ . or -',
        },
        { row: 6, reason: 'property tags should not exist' },
        { row: 7, reason: expect.stringContaining('status must be one of the following values') },
        { row: 8, reason: 'a lead must be an object' },
      ],
    });
    expect(await leadsBySource('json-test')).toEqual([
      {
        full_name: 'Already There',
        email: 'there@example.com',
        phone: null,
        platform: null,
        status: 'active',
        owner_id: null,
      },
      {
        full_name: 'Ann Lee',
        email: 'ann@example.com',
        phone: '+1 555 0100',
        platform: 'web',
        status: 'contacted',
        owner_id: salesHead.id,
      },
      {
        full_name: 'No Email',
        email: null,
        phone: null,
        platform: null,
        status: 'active',
        owner_id: salesHead.id,
      },
    ]);
    expect(await leadsBySource('json-test-2')).toHaveLength(1);
  });

  it('imports CSV (header in any order and case, quoted cells, empty cells); the same file again inserts nothing', async () => {
    const csv = [
      'Source,FULLNAME,email,phone,platform,status',
      'csv-test,"Lee, Ann",ann@example.com,+44 20 7946 0000,,qualified',
      'csv-test,Bo,bo@example.com,,,',
      'CSV-TEST,Bo Twice,BO@example.com,,,',
      'csv-test,Bad Phone,phone@example.com,call me,,',
      'csv-test,Too Few Cells',
      '',
      'csv test,Bad Source,source@example.com,,,',
      'csv-test,Cy,cy@example.com,,app,lost',
    ].join('\r\n');

    const first = await importCsv(adminToken, csv).expect(200);
    // Lines of the text: the header is line 1, the empty line 7 is no row.
    const invalid = [
      { line: 5, row: 4, reason: 'phone must be 6-20 digits, spaces, dashes or brackets' },
      { line: 6, row: 5, reason: 'expected 6 cells, found 2' },
      { line: 8, row: 6, reason: 'source must be 1-60 lower-case letters, digits, _ . or -' },
    ];
    expect(first.body).toEqual({ inserted: 3, skipped: 1, invalid });
    expect(await leadsBySource('csv-test')).toEqual([
      {
        full_name: 'Bo',
        email: 'bo@example.com',
        phone: null,
        platform: null,
        status: 'active',
        owner_id: null,
      },
      {
        full_name: 'Cy',
        email: 'cy@example.com',
        phone: null,
        platform: 'app',
        status: 'lost',
        owner_id: null,
      },
      {
        full_name: 'Lee, Ann',
        email: 'ann@example.com',
        phone: '+44 20 7946 0000',
        platform: null,
        status: 'qualified',
        owner_id: null,
      },
    ]);

    const again = await importCsv(adminToken, csv).expect(200);
    expect(again.body).toEqual({ inserted: 0, skipped: 4, invalid });
    expect(await leadsBySource('csv-test')).toHaveLength(3);
  });

  it('keeps the rest of a batch when the database refuses one of its rows', async () => {
    // The input boundary refuses NUL before the database sees it; a check only the database knows.
    await database.sql(`ALTER TABLE mas_crm.leads
      ADD CONSTRAINT refuse_test CHECK (full_name <> 'Refused') NOT VALID`);
    const response = await Promise.resolve(
      importJson(adminToken, [
        { fullName: 'Before', email: 'before@example.com', source: 'refused-test' },
        { fullName: 'Refused', email: 'refused@example.com', source: 'refused-test' },
        { fullName: 'After', email: 'after@example.com', source: 'refused-test' },
      ]),
    ).finally(() => database.sql('ALTER TABLE mas_crm.leads DROP CONSTRAINT refuse_test'));
    expect(response.status).toBe(200);

    expect(response.body).toEqual({
      inserted: 2,
      skipped: 0,
      invalid: [{ row: 2, reason: expect.stringContaining('the database refused it') }],
    });
    expect((await leadsBySource('refused-test')).map((lead) => lead.full_name)).toEqual([
      'After',
      'Before',
    ]);
  });

  it('stops on a database failure that is not about a row, keeping the batches written before it', async () => {
    await database.sql(`CREATE FUNCTION time_out_on_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.full_name = 'Boom' THEN RAISE EXCEPTION 'canceling statement' USING ERRCODE = '57014'; END IF;
        RETURN NEW;
      END $$`);
    await database.sql(`CREATE TRIGGER time_out_on_boom BEFORE INSERT ON mas_crm.leads
      FOR EACH ROW EXECUTE FUNCTION time_out_on_boom()`);
    try {
      const rows = Array.from({ length: 6_000 }, (_, i) => `Lead ${i + 1},failure-test`);
      rows[5_499] = 'Boom,failure-test'; // in the second batch of 5000
      await importCsv(adminToken, ['fullName,source', ...rows].join('\n')).expect(503);
    } finally {
      await database.sql('DROP TRIGGER time_out_on_boom ON mas_crm.leads');
      await database.sql('DROP FUNCTION time_out_on_boom()');
    }
    const stored = await database.sql(
      `SELECT count(*)::int AS n, max(full_name) FILTER (WHERE full_name = 'Lead 5000') AS last
         FROM mas_crm.leads WHERE source = 'failure-test'`,
    );
    expect(stored.rows[0]).toEqual({ n: 5_000, last: 'Lead 5000' });
  });

  it('is for admins and sales heads only', async () => {
    const body = [{ fullName: 'Nope', email: 'nope@example.com', source: 'role-test' }];
    await importJson(sales.token, body).expect(403);
    await importJson(student.token, body).expect(403);
    await app.http().post('/api/crm/leads/import').send(body).expect(401);
    expect(await leadsBySource('role-test')).toEqual([]);
  });

  it.each([
    ['no body', 400, 'the body is empty', () => post(adminToken)],
    ['a JSON object', 400, 'must be a JSON array', () => importJson(adminToken, { fullName: 'x' })],
    ['an empty array', 400, 'no leads', () => importJson(adminToken, [])],
    [
      'malformed JSON',
      400,
      'JSON',
      () => post(adminToken).set('Content-Type', 'application/json').send('[{"fullName":'),
    ],
    ['an empty CSV', 400, 'CSV is empty', () => importCsv(adminToken, '  \n')],
    ['a CSV with only a header', 400, 'no leads', () => importCsv(adminToken, 'fullName,source\n')],
    [
      'a CSV with an unknown column',
      400,
      'unknown CSV column "name"',
      () => importCsv(adminToken, 'name,source\nAnn,web\n'),
    ],
    [
      'unparseable CSV',
      400,
      'line 2: the CSV cannot be read: Quote Not Closed',
      () => importCsv(adminToken, 'fullName,source\n"Ann,web\nBo,web\n'),
    ],
    [
      'plain text',
      415,
      'text/csv',
      () => post(adminToken).set('Content-Type', 'text/plain').send('fullName,source\nAnn,web\n'),
    ],
    [
      'more than 50000 rows',
      413,
      'at most 50000 leads per request',
      () =>
        importCsv(
          adminToken,
          'fullName,source\n' + Array.from({ length: 50_001 }, (_, i) => `L${i},big`).join('\n'),
        ),
    ],
    [
      'a body over 10 MB',
      413,
      'too large',
      () => importCsv(adminToken, `fullName,source\n${'Ann,big\n'.repeat(1_400_000)}`),
    ],
  ])('refuses %s with a %d and imports nothing', async (_case, status, message, send) => {
    const before = await leadCount();
    const response = await send().expect(status);
    expect(response.body).toMatchObject({
      statusCode: status,
      message: expect.stringContaining(message),
    });
    expect(await leadCount()).toBe(before);
  });

  describe('npm run crm:import', () => {
    const runCli = async (...args: string[]) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        env: { ...process.env, ...testEnv(database) },
      });
      return childOutput(child);
    };
    const writeWorkFile = async (name: string, content: string) => {
      const path = join(workDir, name);
      await writeFile(path, content);
      return path;
    };

    it('imports a CSV larger than one batch into the configured database and prints the summary', async () => {
      const rows = Array.from(
        { length: 12_000 },
        (_, i) => `Lead ${i + 1},lead${i + 1}@example.com,cli-test`,
      );
      rows[6_999] = 'Bad Email,nope,cli-test'; // row 7000
      rows[10_999] = 'Lead 1 Again,LEAD1@example.com,cli-test'; // row 11000: duplicate of row 1, two batches later
      const file = await writeWorkFile('leads.csv', ['fullName,email,source', ...rows].join('\n'));

      const { code, stdout, stderr } = await runCli(file);

      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual({
        inserted: 11_998,
        skipped: 1,
        invalid: [{ line: 7_001, row: 7_000, reason: 'email must be an email' }],
      });
      const stored = await database.sql(
        `SELECT count(*)::int AS n, count(owner_id)::int AS owned FROM mas_crm.leads WHERE source = 'cli-test'`,
      );
      expect(stored.rows[0]).toEqual({ n: 11_998, owned: 0 });

      const again = await runCli(file);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ inserted: 0, skipped: 11_999 });
    });

    it('imports a JSON file', async () => {
      const file = await writeWorkFile(
        'leads.json',
        JSON.stringify([
          { fullName: 'Jo', email: 'jo@example.com', source: 'cli-json', status: 'contacted' },
          { fullName: 'Jo Again', email: 'JO@example.com', source: 'cli-json' },
          { fullName: '', source: 'cli-json' },
        ]),
      );
      const { code, stdout } = await runCli(file);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual({
        inserted: 1,
        skipped: 1,
        invalid: [{ line: 1, row: 3, reason: 'fullName should not be empty' }],
      });
      expect(await leadsBySource('cli-json')).toMatchObject([
        { full_name: 'Jo', status: 'contacted' },
      ]);
    });

    it.each([
      ['LF', '\n'],
      ['CRLF', '\r\n'],
    ])(
      'names the line where each bad CSV row starts (%s): header counted, a quoted line break moves later rows down',
      async (name, newline) => {
        const source = `cli-lines-${name.toLowerCase()}`;
        const csv = [
          'fullName,email,source,status', // line 1
          `Ann,ann@example.com,${source},`, // line 2, row 1
          `"Bo${newline}Two Lines",bo@example.com,${source},`, // lines 3-4, row 2
          '', // line 5: no row
          `Bad Email,nope,${source},`, // line 6, row 3
          `"Cy ""The"" Third",cy@example.com,${source},won`, // line 7, row 4
          `"Di${newline}${newline}Three",di@example.com,${source},contacted`, // lines 8-10, row 5
          `Ed,ed@example.com,${source}`, // line 11, row 6
        ].join(newline);
        const file = await writeWorkFile(`lines-${name}.csv`, csv + newline);

        const { code, stdout, stderr } = await runCli(file);

        expect(stderr).toBe('');
        expect(code).toBe(0);
        expect(JSON.parse(stdout)).toEqual({
          inserted: 3,
          skipped: 0,
          invalid: [
            { line: 6, row: 3, reason: 'email must be an email' },
            {
              line: 7,
              row: 4,
              reason: expect.stringContaining('status must be one of the following values'),
            },
            { line: 11, row: 6, reason: 'expected 4 cells, found 3' },
          ],
        });
        expect((await leadsBySource(source)).map((lead) => lead.full_name)).toEqual([
          'Ann',
          `Bo${newline}Two Lines`,
          `Di${newline}${newline}Three`,
        ]);
      },
    );

    it('names the line where each bad element of a JSON file starts', async () => {
      const file = await writeWorkFile(
        'lines.json',
        [
          '[', // line 1
          '  { "fullName": "Jo", "email": "jo@example.com", "source": "cli-json-lines" },',
          '  {', // line 3: element 2 starts
          '    "fullName": "Bad Email",',
          '    "email": "nope",',
          '    "source": "cli-json-lines"',
          '  },',
          '',
          '  42', // line 9: element 3
          ']',
        ].join('\n'),
      );
      const { code, stdout } = await runCli(file);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual({
        inserted: 1,
        skipped: 0,
        invalid: [
          { line: 3, row: 2, reason: 'email must be an email' },
          { line: 9, row: 3, reason: 'a lead must be an object' },
        ],
      });
    });

    it.each([
      [
        'a CSV with an unknown column after blank lines',
        'unknown-column.csv',
        '\n\nname,source\nAnn,web\n',
        'line 3: unknown CSV column "name"',
      ],
      [
        'a CSV with a stray quote in the second record of a multi-line one',
        'stray-quote.csv',
        'fullName,source\n"Ann\nLee",web\n"Bo"x,web\n',
        'line 4: the CSV cannot be read: Invalid Closing Quote: got "x" instead of delimiter',
      ],
      [
        'a JSON element with a missing comma (the line of the error)',
        'missing-comma.json',
        '[\n  {"fullName": "A", "source": "x"},\n  {"fullName": "B",\n   "source": "x"\n   "email": "b@example.com"}\n]\n',
        'line 5: element 2 of the JSON array is not valid JSON',
      ],
      [
        'a JSON file that ends inside an element',
        'unfinished.json',
        '[\n  {"fullName": "A", "source": "x"},\n  {"fullName": "B",\n',
        'line 3: the JSON ends inside the element that starts here',
      ],
      [
        'a JSON file with text after its array',
        'trailing.json',
        '[\n  {"fullName": "A", "source": "x"}\n]\n\nmore\n',
        'line 5: the JSON continues after its array',
      ],
    ])('exits 1 naming the line on %s', async (_case, name, content, message) => {
      const before = await leadCount();
      const { code, stdout, stderr } = await runCli(await writeWorkFile(name, content));
      expect(code).toBe(1);
      expect(stderr).toContain(`crm:import: ${message}`);
      expect(stdout).toBe('');
      expect(await leadCount()).toBe(before);
    });

    it('exits 1 on a file it cannot read, importing nothing', async () => {
      const broken = await writeWorkFile(
        'broken.csv',
        'fullName,email,source\nOk,ok@example.com,cli-broken\n"Unclosed,x@example.com,cli-broken\n',
      );
      const before = await leadCount();

      const missing = await runCli(join(workDir, 'missing.csv'));
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('ENOENT');

      const unparseable = await runCli(broken);
      expect(unparseable.code).toBe(1);
      expect(unparseable.stderr).toContain(
        'crm:import: line 3: the CSV cannot be read: Quote Not Closed',
      );
      expect(unparseable.stdout).toBe('');

      expect(await leadCount()).toBe(before);
    });
  });
});
