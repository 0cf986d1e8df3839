import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
} from '@mas/domain-errors';
import { type User, UserRole } from '@mas/identity';
import { concurrently } from '@mas/testing/concurrently.js';
import { expectRefusal } from '@mas/testing/domain-errors.js';
import { type LibModule, startLibModule } from '@mas/testing/lib-module.js';
import { createLibUser, libIdentityModule } from '@mas/testing/lib-users.js';
import { CrmModule } from '../crm.module.js';
import { LeadActivityType } from '../entities/lead-activity.entity.js';
import { LeadStatus } from '../entities/lead-status.enum.js';
import { TagsService } from '../tags/tags.service.js';
import { ActivitiesService } from './activities.service.js';
import { LeadsService } from './leads.service.js';

/** Leads, their assignment, activities and tags on the CRM module (no HTTP), checked in SQL. */
describe('LeadsService (lib integration)', () => {
  let lib: LibModule;
  let leads: LeadsService;
  let admin: User, head: User, teamSales: User, loneSales: User, otherHead: User, student: User;

  beforeAll(async () => {
    lib = await startLibModule([libIdentityModule(), CrmModule]);
    leads = lib.context.get(LeadsService);
    const user = (role: UserRole, salesHeadId?: string) =>
      createLibUser(lib.context, role, salesHeadId);
    [admin, head, otherHead, loneSales, student] = await Promise.all(
      [
        UserRole.Admin,
        UserRole.SalesHead,
        UserRole.SalesHead,
        UserRole.Sales,
        UserRole.Student,
      ].map((role) => user(role)),
    );
    teamSales = await user(UserRole.Sales, head.id);
  });
  afterAll(() => lib.close());

  let counter = 0;
  const leadOf = (owner: User) =>
    leads.create({ fullName: `Lead ${++counter}`, source: 'web' }, owner);
  const stateOf = async (leadId: string) =>
    (
      await lib.database.sql(
        `SELECT owner_id AS "ownerId", status,
                (SELECT count(*) FROM outbox_messages WHERE topic = 'lead.assigned'
                    AND payload->'data'->>'leadId' = $1)::int AS announced,
                (SELECT count(*) FROM mas_crm.lead_activities WHERE lead_id::text = $1)::int AS activities
           FROM mas_crm.leads WHERE id::text = $1`,
        [leadId],
      )
    ).rows[0];

  it('assigning: not by sales, by heads within their team, to sales users only; a refusal changes nothing', async () => {
    const lead = await leadOf(teamSales);
    const refusals: [User, string, typeof ForbiddenError, string][] = [
      [teamSales, loneSales.id, ForbiddenError, 'only sales heads and admins assign leads'],
      [head, loneSales.id, ForbiddenError, 'sales heads assign leads within their team'],
      [admin, student.id, RuleViolationError, 'ownerId must be a sales or sales_head user'],
    ];
    for (const [editor, ownerId, type, message] of refusals)
      await expectRefusal(
        leads.update(lead.id, { ownerId, status: LeadStatus.Lost }, editor),
        type,
        message,
      );
    expect(await stateOf(lead.id)).toMatchObject({
      ownerId: teamSales.id,
      status: LeadStatus.Active,
      announced: 0,
    });

    await leads.update(lead.id, { ownerId: head.id }, head);
    const announced = await lib.database.sql(
      `SELECT audience, payload->'data'->>'assignedBy' AS "assignedBy" FROM outbox_messages
        WHERE topic = 'lead.assigned' AND payload->'data'->>'leadId' = $1`,
      [lead.id],
    );
    expect(announced.rows).toEqual([{ audience: [`user:${head.id}`], assignedBy: head.id }]);
    expect(await leads.create({ fullName: 'Unowned', source: 'web' }, admin)).toMatchObject({
      ownerId: null,
    });
  });

  it('a lead out of view does not exist for reads, writes and activities; other roles are refused', async () => {
    const lead = await leadOf(teamSales);
    const activities = lib.context.get(ActivitiesService);
    const note = { type: LeadActivityType.Note, body: 'called' };
    for (const outsider of [loneSales, otherHead]) {
      await expectRefusal(leads.get(lead.id, outsider), NotFoundError, 'lead not found');
      await expectRefusal(
        leads.update(lead.id, { status: LeadStatus.Lost }, outsider),
        NotFoundError,
        'lead not found',
      );
      await expectRefusal(activities.add(lead.id, note, outsider), NotFoundError, 'lead not found');
    }
    await expectRefusal(
      activities.add(lead.id, note, student),
      ForbiddenError,
      'leads are for sales, sales heads and admins',
    );
    expect(await stateOf(lead.id)).toMatchObject({ status: LeadStatus.Active, activities: 0 });
    for (const viewer of [teamSales, head, admin]) await activities.add(lead.id, note, viewer);
    expect(await stateOf(lead.id)).toMatchObject({ activities: 3 });
  });

  it('N concurrent assignments of one lead to one owner announce it once', async () => {
    const lead = await leadOf(loneSales);
    const { rejected } = await concurrently(
      Array.from(
        { length: 6 },
        () => () => leads.update(lead.id, { ownerId: teamSales.id }, admin),
      ),
    );
    expect(rejected).toEqual([]);
    expect(await stateOf(lead.id)).toMatchObject({ ownerId: teamSales.id, announced: 1 });
  });

  it('N concurrent creates of one tag name in any case make one tag', async () => {
    const tags = lib.context.get(TagsService);
    const names = ['Hot', 'HOT', 'hot', 'hOt', 'Hot', 'hoT'];
    const { fulfilled, rejected } = await concurrently(
      names.map((name) => () => tags.create(name)),
    );
    expect(fulfilled).toHaveLength(1);
    for (const error of rejected) {
      expect(error).toBeInstanceOf(ConflictError);
      expect(names.map((name) => `tag ${name} already exists`)).toContain((error as Error).message);
    }
    const stored = await lib.database.sql(`SELECT name FROM mas_crm.lead_tags WHERE name = 'hot'`);
    expect(stored.rows).toEqual([{ name: fulfilled[0].name }]);
  });

  it('N concurrent lead creates sharing new tags create each tag once and link every lead to all of its tags', async () => {
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        leads.create(
          {
            fullName: `Tagged ${i}`,
            source: 'fair',
            tags: ['Vip', i % 2 ? 'webinar' : 'WEBINAR', `own-${i}`],
          },
          head,
        ),
      ),
    );
    const tagged = await lib.database.sql(
      `SELECT lower(tag.name) AS name, count(*)::int AS leads FROM mas_crm.lead_tag_links link
         JOIN mas_crm.lead_tags tag ON tag.id = link.tag_id
        WHERE link.lead_id = ANY($1::uuid[]) GROUP BY tag.id ORDER BY 1`,
      [created.map((lead) => lead.id)],
    );
    expect(tagged.rows).toEqual([
      ...Array.from({ length: 8 }, (_, i) => ({ name: `own-${i}`, leads: 1 })),
      { name: 'vip', leads: 8 },
      { name: 'webinar', leads: 8 },
    ]);
  });
});
