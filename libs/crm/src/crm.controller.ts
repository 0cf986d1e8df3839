import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, Roles, User, UserRole } from '@mas/identity';
import { ApiErrors, ApiPage, PageQueryDto, UuidParam } from '@mas/http';
import { mapPage, type Page } from '@mas/persistence';
import {
  ActivityResponse,
  CreateActivityDto,
  CreateLeadDto,
  CreateTagDto,
  LeadResponse,
  ListLeadsQuery,
  TagResponse,
  UpdateLeadDto,
} from './dto/lead.dto.js';
import { ImportLeadRow } from './imports/import-lead-row.dto.js';
import { MAX_IMPORT_ROWS_PER_REQUEST } from './imports/import-limits.js';
import { importRowsOfBody } from './imports/lead-import-body.js';
import { LeadImportSummary } from './imports/lead-import-summary.js';
import { LeadImportService, ownerOfImportedLeads } from './imports/lead-import.service.js';
import { ActivitiesService } from './leads/activities.service.js';
import { LeadsService } from './leads/leads.service.js';
import { TagsService } from './tags/tags.service.js';

const CRM_ROLES = [UserRole.Admin, UserRole.Sales, UserRole.SalesHead];

@ApiTags('crm')
@Authenticated()
@Roles(...CRM_ROLES)
@Controller('crm')
export class CrmController {
  constructor(
    private readonly leads: LeadsService,
    private readonly activities: ActivitiesService,
    private readonly tags: TagsService,
    private readonly imports: LeadImportService,
  ) {}

  @Get('leads')
  @ApiOperation({
    summary: 'Leads, newest first: sales see their own, sales heads their team’s, admins all',
  })
  @ApiPage(LeadResponse)
  @ApiErrors(400)
  async list(
    @CurrentUser() user: User,
    @Query() query: ListLeadsQuery,
  ): Promise<Page<LeadResponse>> {
    const page = await this.leads.list(query, user);
    return mapPage(page, (lead) => LeadResponse.of(lead));
  }

  @Post('leads')
  @ApiOperation({ summary: 'Create a lead (owned by its creator unless an admin)' })
  @ApiCreatedResponse({ type: LeadResponse })
  @ApiErrors(400, [409, 'a lead with this source and email exists'])
  async create(@CurrentUser() user: User, @Body() body: CreateLeadDto): Promise<LeadResponse> {
    return LeadResponse.of(await this.leads.create(body, user));
  }

  @Post('leads/import')
  @Roles(UserRole.Admin, UserRole.SalesHead)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: `Import up to ${MAX_IMPORT_ROWS_PER_REQUEST} leads from a JSON array or CSV (header row first)`,
    description:
      'Rows whose source and email exist already (or repeat in the body) are skipped, invalid rows ' +
      'are listed with their reason and never stop the others. Leads are owned by an importing ' +
      'sales head, unassigned for an admin.',
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({ type: [ImportLeadRow] })
  @ApiOkResponse({ type: LeadImportSummary })
  @ApiErrors(400, 413, 415)
  async importLeads(
    @CurrentUser() user: User,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<LeadImportSummary> {
    const rows = await importRowsOfBody(body, contentType);
    return this.imports.import(rows, { ownerId: ownerOfImportedLeads(user) });
  }

  @Get('leads/:id')
  @ApiOperation({ summary: 'One lead you can see (404 otherwise)' })
  @ApiOkResponse({ type: LeadResponse })
  @ApiErrors(400, 404)
  async get(@CurrentUser() user: User, @UuidParam('id') id: string): Promise<LeadResponse> {
    return LeadResponse.of(await this.leads.get(id, user));
  }

  @Patch('leads/:id')
  @ApiOperation({ summary: 'Change status, owner (sales heads and admins), tags, name or phone' })
  @ApiOkResponse({ type: LeadResponse })
  @ApiErrors(400, 404, 422)
  async update(
    @CurrentUser() user: User,
    @UuidParam('id') id: string,
    @Body() body: UpdateLeadDto,
  ): Promise<LeadResponse> {
    return LeadResponse.of(await this.leads.update(id, body, user));
  }

  @Post('leads/:id/activities')
  @ApiOperation({ summary: 'Log an activity on a lead' })
  @ApiCreatedResponse({ type: ActivityResponse })
  @ApiErrors(400, 404)
  async addActivity(
    @CurrentUser() user: User,
    @UuidParam('id') id: string,
    @Body() body: CreateActivityDto,
  ): Promise<ActivityResponse> {
    return ActivityResponse.of(await this.activities.add(id, body, user));
  }

  @Get('leads/:id/activities')
  @ApiOperation({ summary: 'Activities of a lead, newest first' })
  @ApiPage(ActivityResponse)
  @ApiErrors(400, 404)
  async listActivities(
    @CurrentUser() user: User,
    @UuidParam('id') id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<ActivityResponse>> {
    const page = await this.activities.list(id, user, query);
    return mapPage(page, (activity) => ActivityResponse.of(activity));
  }

  @Get('tags')
  @ApiOperation({ summary: 'All tags by name' })
  @ApiOkResponse({ type: [TagResponse] })
  async listTags(): Promise<TagResponse[]> {
    return (await this.tags.list()).map((tag) => TagResponse.of(tag));
  }

  @Post('tags')
  @ApiOperation({ summary: 'Create a tag (names are unique, case-insensitive)' })
  @ApiCreatedResponse({ type: TagResponse })
  @ApiErrors(400, [409, 'a tag with this name exists'])
  async createTag(@Body() body: CreateTagDto): Promise<TagResponse> {
    return TagResponse.of(await this.tags.create(body.name));
  }
}
