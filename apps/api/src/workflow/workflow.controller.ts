import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, Roles, User, UserRole } from '@mas/identity';
import { ApiErrors, ApiPage, UuidParam } from '@mas/http';
import { mapPage, type Page } from '@mas/persistence';
import {
  CreateDefinitionDto,
  DefinitionResponse,
  DefinitionsService,
  ListDefinitionsQuery,
  ListRunsQuery,
  RunResponse,
  RunsService,
  RunWithStepsResponse,
  SignalRunDto,
  StartRunDto,
} from '@mas/workflow';
import { RunScopes } from './run-scopes.js';

const STAFF = [UserRole.Admin, UserRole.SalesHead, UserRole.Sales];

/** The workflow lib's HTTP surface; here because its access rules come from identity. */
@ApiTags('workflow')
@Authenticated()
@Controller('workflow')
export class WorkflowController {
  constructor(
    private readonly definitions: DefinitionsService,
    private readonly runs: RunsService,
    private readonly scopes: RunScopes,
  ) {}

  @Get('definitions')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'The newest version of each definition, or every version of ?key=' })
  @ApiOkResponse({ type: [DefinitionResponse] })
  @ApiErrors(400)
  async listDefinitions(@Query() query: ListDefinitionsQuery): Promise<DefinitionResponse[]> {
    const definitions = await this.definitions.list(query.key);
    return definitions.map((definition) => DefinitionResponse.of(definition));
  }

  @Post('definitions')
  @Roles(UserRole.Admin)
  @ApiOperation({
    summary: 'Save a definition (admin): a new key starts at version 1, a known key gets the next',
  })
  @ApiCreatedResponse({ type: DefinitionResponse })
  @ApiErrors([400, 'every problem of the definition, as details: [{ field, message }]'])
  async createDefinition(
    @CurrentUser() user: User,
    @Body() body: CreateDefinitionDto,
  ): Promise<DefinitionResponse> {
    return DefinitionResponse.of(await this.definitions.create(body, user.id));
  }

  @Post('runs')
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: "Start a run of the definition's newest version (admin)" })
  @ApiCreatedResponse({ type: RunResponse })
  @ApiErrors(400, [404, 'no workflow definition has the key'])
  async start(@CurrentUser() user: User, @Body() body: StartRunDto): Promise<RunResponse> {
    const run = await this.runs.start({
      definitionKey: body.definitionKey,
      subject: { type: body.subjectType, id: body.subjectId },
      context: body.context,
      startedBy: user.id,
    });
    return RunResponse.of(run);
  }

  @Get('runs')
  @Roles(...STAFF)
  @ApiOperation({
    summary:
      'Runs, newest first, by definition, status or subject; sales see only runs of applications whose lead they see',
  })
  @ApiPage(RunResponse)
  @ApiErrors(400)
  async list(@CurrentUser() user: User, @Query() query: ListRunsQuery): Promise<Page<RunResponse>> {
    return mapPage(await this.runs.list(query, this.scopes.for(user)), (run) =>
      RunResponse.of(run),
    );
  }

  @Get('runs/:id')
  @Roles(...STAFF)
  @ApiOperation({
    summary: 'A run with its step history (every attempt); 404 outside your scope (as in the list)',
  })
  @ApiOkResponse({ type: RunWithStepsResponse })
  @ApiErrors(400, 404)
  async get(@CurrentUser() user: User, @UuidParam('id') id: string): Promise<RunWithStepsResponse> {
    return RunWithStepsResponse.withSteps(await this.runs.get(id, this.scopes.for(user)));
  }

  @Post('runs/:id/signal')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOperation({
    summary:
      'Deliver a signal to a run waiting for it; 409 if it waits for none, 404 outside your scope',
  })
  @ApiOkResponse({ type: RunResponse })
  @ApiErrors(400, 404, [409, 'the run does not wait for this signal'])
  async signal(
    @CurrentUser() user: User,
    @UuidParam('id') id: string,
    @Body() body: SignalRunDto,
  ): Promise<RunResponse> {
    return RunResponse.of(
      await this.runs.signal(id, body.event, body.payload ?? {}, user.id, this.scopes.for(user)),
    );
  }

  @Post('runs/:id/cancel')
  @HttpCode(200)
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Cancel an unfinished run (admin)' })
  @ApiOkResponse({ type: RunResponse })
  @ApiErrors(400, 404, [409, 'the run is already finished'])
  async cancel(@CurrentUser() user: User, @UuidParam('id') id: string): Promise<RunResponse> {
    return RunResponse.of(await this.runs.cancel(id, user.id));
  }
}
