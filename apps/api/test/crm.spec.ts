import { createTestDatabase, type TestDatabase } from '@mas/testing/test-database.js';
import { login, startTestApp, TEST_ADMIN, type TestApp } from '@mas/testing/test-app.js';
import { createUserWithRole, type TestUser } from '@mas/testing/users.js';

describe('CRM: leads, visibility, tags, activities', () => {
  let database: TestDatabase;
  let app: TestApp;
  let adminToken: string;
  let head: TestUser;
  let teamSeller: TestUser;
  let otherHead: TestUser;
  let outsider: TestUser;
  const leadsOf: Record<string, string> = {};
  const auth = (user: TestUser | string) => ({
    Authorization: `Bearer ${typeof user === 'string' ? user : user.token}`,
  });

  async function leadOwnedBy(owner: TestUser, fullName: string): Promise<string> {
    const response = await app
      .http()
      .post('/api/crm/leads')
      .set(auth(owner))
      .send({ fullName, source: 'website', email: `${fullName.replace(/\s/g, '.')}@example.com` })
      .expect(201);
    return response.body.id as string;
  }

  async function visibleIds(user: TestUser | string): Promise<string[]> {
    const response = await app
      .http()
      .get('/api/crm/leads')
      .query({ limit: 100 })
      .set(auth(user))
      .expect(200);
    return (response.body.items as { id: string }[]).map((lead) => lead.id).sort();
  }

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    app = await startTestApp(database);
    adminToken = await login(app, TEST_ADMIN.email, TEST_ADMIN.password);
    head = await createUserWithRole(app, 'sales_head', adminToken);
    otherHead = await createUserWithRole(app, 'sales_head', adminToken);
    teamSeller = await createUserWithRole(app, 'sales', adminToken);
    outsider = await createUserWithRole(app, 'sales', adminToken);
    await app
      .http()
      .patch(`/api/users/${teamSeller.id}`)
      .set(auth(adminToken))
      .send({ salesHeadId: head.id })
      .expect(200);
    await app
      .http()
      .patch(`/api/users/${outsider.id}`)
      .set(auth(adminToken))
      .send({ salesHeadId: otherHead.id })
      .expect(200);
    leadsOf.head = await leadOwnedBy(head, 'Head Lead');
    leadsOf.teamSeller = await leadOwnedBy(teamSeller, 'Team Lead');
    leadsOf.outsider = await leadOwnedBy(outsider, 'Outside Lead');
    leadsOf.otherHead = await leadOwnedBy(otherHead, 'Other Head Lead');
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  describe('visibility matrix', () => {
    it('sales see their own leads only', async () => {
      expect(await visibleIds(teamSeller)).toEqual([leadsOf.teamSeller]);
      expect(await visibleIds(outsider)).toEqual([leadsOf.outsider]);
    });

    it("a sales head sees their own and their team's leads", async () => {
      expect(await visibleIds(head)).toEqual([leadsOf.head, leadsOf.teamSeller].sort());
      expect(await visibleIds(otherHead)).toEqual([leadsOf.otherHead, leadsOf.outsider].sort());
    });

    it('admins see every lead', async () => {
      const all = (await database.sql(`SELECT id FROM mas_crm.leads`)).rows
        .map((row: { id: string }) => row.id)
        .sort();
      expect(await visibleIds(adminToken)).toEqual(all);
    });

    it('hides a lead outside your scope as 404 for reads and writes, and refuses other roles', async () => {
      await app.http().get(`/api/crm/leads/${leadsOf.outsider}`).set(auth(teamSeller)).expect(404);
      await app
        .http()
        .patch(`/api/crm/leads/${leadsOf.outsider}`)
        .set(auth(head))
        .send({ status: 'lost' })
        .expect(404);
      await app
        .http()
        .post(`/api/crm/leads/${leadsOf.outsider}/activities`)
        .set(auth(head))
        .send({ type: 'note', body: 'x' })
        .expect(404);
      await app.http().get(`/api/crm/leads/${leadsOf.teamSeller}`).set(auth(head)).expect(200);
      const student = await createUserWithRole(app, 'student', adminToken);
      await app.http().get('/api/crm/leads').set(auth(student)).expect(403);
      const status = await database.sql(`SELECT status FROM mas_crm.leads WHERE id = $1`, [
        leadsOf.outsider,
      ]);
      expect(status.rows[0].status).toBe('active');
    });

    it('moves a lead into view when it is assigned: heads within their team, sales not at all', async () => {
      const lead = await leadOwnedBy(head, 'Reassigned Lead');
      await app
        .http()
        .patch(`/api/crm/leads/${lead}`)
        .set(auth(head))
        .send({ ownerId: outsider.id })
        .expect(403);
      await app
        .http()
        .patch(`/api/crm/leads/${lead}`)
        .set(auth(teamSeller))
        .send({ ownerId: teamSeller.id })
        .expect(404);
      const assigned = await app
        .http()
        .patch(`/api/crm/leads/${lead}`)
        .set(auth(head))
        .send({ ownerId: teamSeller.id })
        .expect(200);
      expect(assigned.body.ownerId).toBe(teamSeller.id);
      const event = await database.sql(
        `SELECT audience FROM outbox_messages WHERE topic = 'lead.assigned' AND payload -> 'data' ->> 'leadId' = $1`,
        [lead],
      );
      expect(event.rows).toEqual([{ audience: [`user:${teamSeller.id}`] }]);
      expect(await visibleIds(teamSeller)).toContain(lead);
      await app
        .http()
        .patch(`/api/crm/leads/${lead}`)
        .set(auth(adminToken))
        .send({ ownerId: head.id })
        .expect(200);
      const notSales = await createUserWithRole(app, 'expert', adminToken);
      await app
        .http()
        .patch(`/api/crm/leads/${lead}`)
        .set(auth(adminToken))
        .send({ ownerId: notSales.id })
        .expect(422);
    });
  });

  it('filters by status, tag, source, owner, text and creation time', async () => {
    const tagged = (
      await app
        .http()
        .post('/api/crm/leads')
        .set(auth(head))
        .send({
          fullName: 'Priya Sharma',
          email: 'priya@example.com',
          source: 'webinar',
          tags: ['Hot', 'mba'],
        })
        .expect(201)
    ).body;
    expect(tagged.tags).toEqual(['Hot', 'mba']);
    await app
      .http()
      .patch(`/api/crm/leads/${tagged.id}`)
      .set(auth(head))
      .send({ status: 'contacted', tags: ['hot'] })
      .expect(200);
    const query = async (params: Record<string, string>) =>
      (
        (
          await app
            .http()
            .get('/api/crm/leads')
            .query({ ...params, limit: 100 })
            .set(auth(adminToken))
            .expect(200)
        ).body.items as { id: string }[]
      ).map((lead) => lead.id);
    expect(await query({ tag: 'hot' })).toEqual([tagged.id]);
    expect(await query({ status: 'contacted', source: 'webinar' })).toEqual([tagged.id]);
    expect(await query({ q: 'SHARMA' })).toEqual([tagged.id]);
    expect(await query({ q: 'priya@exa' })).toEqual([tagged.id]);
    expect(await query({ ownerId: head.id, status: 'contacted' })).toEqual([tagged.id]);
    expect(await query({ createdFrom: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    await app
      .http()
      .get('/api/crm/leads')
      .query({ status: 'warm' })
      .set(auth(adminToken))
      .expect(400);
    await app
      .http()
      .get('/api/crm/leads')
      .query({ createdFrom: 'yesterday' })
      .set(auth(adminToken))
      .expect(400);
    const tags = (await app.http().get('/api/crm/tags').set(auth(head)).expect(200)).body as {
      name: string;
    }[];
    expect(tags.map((tag) => tag.name)).toEqual(expect.arrayContaining(['Hot', 'mba']));
    await app.http().post('/api/crm/tags').set(auth(head)).send({ name: 'HOT' }).expect(409);
  });

  it('logs activities on a lead, newest first', async () => {
    await app
      .http()
      .post(`/api/crm/leads/${leadsOf.head}/activities`)
      .set(auth(head))
      .send({ type: 'call', body: 'first call' })
      .expect(201);
    await app
      .http()
      .post(`/api/crm/leads/${leadsOf.head}/activities`)
      .set(auth(head))
      .send({ type: 'note', body: 'sent brochure' })
      .expect(201);
    await app
      .http()
      .post(`/api/crm/leads/${leadsOf.head}/activities`)
      .set(auth(head))
      .send({ type: 'gossip', body: 'x' })
      .expect(400);
    const list = await app
      .http()
      .get(`/api/crm/leads/${leadsOf.head}/activities`)
      .set(auth(head))
      .expect(200);
    expect(list.body.items.map((activity: { body: string }) => activity.body)).toEqual([
      'sent brochure',
      'first call',
    ]);
  });

  it('pages through every lead exactly once while new leads are inserted concurrently', async () => {
    await database.sql(`INSERT INTO mas_crm.leads (full_name, source, created_at)
      SELECT 'Bulk ' || g, 'bulk', timestamptz '2026-06-01' + (g / 3) * interval '1 ms' FROM generate_series(1, 400) g`);
    const existing = (await database.sql(`SELECT id FROM mas_crm.leads`)).rows.map(
      (row: { id: string }) => row.id,
    );
    let writing = true;
    const writer = (async () => {
      let n = 0;
      while (writing) {
        await app
          .http()
          .post('/api/crm/leads')
          .set(auth(adminToken))
          .send({ fullName: `Concurrent ${n++}`, source: 'live' })
          .expect(201);
      }
      return n;
    })();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await app
        .http()
        .get('/api/crm/leads')
        .query({ limit: 37, ...(cursor ? { cursor } : {}) })
        .set(auth(adminToken))
        .expect(200);
      seen.push(...page.body.items.map((lead) => lead.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    writing = false;
    expect(await writer).toBeGreaterThan(0);
    expect(new Set(seen).size).toBe(seen.length);
    const seenSet = new Set(seen);
    expect(existing.filter((id: string) => !seenSet.has(id))).toEqual([]);
  });
});

describe('legacy raw_leads copy migration', () => {
  it('copies public.raw_leads into mas_crm.leads once, even when run again', async () => {
    const database = await createTestDatabase({ migrated: false });
    try {
      await database.sql(
        `CREATE TABLE public.raw_leads (id serial PRIMARY KEY, name text, email text, phone text, source text, status text, created_at timestamptz)`,
      );
      await database.sql(`INSERT INTO public.raw_leads (name, email, phone, source, status, created_at) VALUES
        ('Old One', 'OLD.ONE@Example.com', '+91 98765 43210', 'fair', 'qualified', '2024-01-02T03:04:05Z'),
        ('No Email', NULL, NULL, NULL, 'weird-status', '2024-02-03T04:05:06Z'),
        ('Old One Again', 'old.one@example.com', NULL, 'fair', 'active', '2024-03-04T05:06:07Z')`);
      const app = await startTestApp(database);
      await app.close();
      const copied = await database.sql(
        `SELECT full_name, email, source, status FROM mas_crm.leads ORDER BY created_at`,
      );
      expect(copied.rows).toEqual([
        { full_name: 'Old One', email: 'old.one@example.com', source: 'fair', status: 'qualified' },
        { full_name: 'No Email', email: null, source: 'legacy', status: 'active' },
      ]);
      const migration = (
        await database.sql(`SELECT name FROM migrations WHERE name LIKE 'CopyLegacyRawLeads%'`)
      ).rows[0].name as string;
      await database.sql(`DELETE FROM migrations WHERE name = $1`, [migration]);
      const again = await startTestApp(database);
      await again.close();
      const count = await database.sql(`SELECT count(*)::int AS n FROM mas_crm.leads`);
      expect(count.rows[0].n).toBe(2);
      const legacy = await database.sql(`SELECT count(*)::int AS n FROM public.raw_leads`);
      expect(legacy.rows[0].n).toBe(3);
    } finally {
      await database.drop();
    }
  });
});
