import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, Roles, User, UserRole } from '@mas/identity';
import { ApiErrors, ApiPage, PageQueryDto, UuidParam } from '@mas/http';
import { mapPage, type Page } from '@mas/persistence';
import { ApplicationsService } from './applications/applications.service.js';
import { CatalogService } from './colleges/catalog.service.js';
import {
  ApplicationResponse,
  BatchResponse,
  CollegeResponse,
  CourseResponse,
  CreateApplicationDto,
  CreateBatchDto,
  CreateCourseDto,
  ListApplicationsQuery,
  ListBatchesQuery,
  PapResponse,
  SearchQuery,
  UpdateApplicationStatusDto,
  UpdatePapDto,
} from './dto/lms.dto.js';
import { PapService } from './pap/pap.service.js';

const STAFF = [UserRole.Admin, UserRole.Sales, UserRole.SalesHead];

@ApiTags('lms')
@Authenticated()
@Controller('lms')
export class LmsController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly applications: ApplicationsService,
    private readonly pap: PapService,
  ) {}

  @Get('colleges')
  @ApiOperation({ summary: 'Colleges; q is a case-insensitive name prefix' })
  @ApiPage(CollegeResponse)
  @ApiErrors(400)
  async colleges(
    @CurrentUser() reader: User,
    @Query() query: SearchQuery,
  ): Promise<Page<CollegeResponse>> {
    return mapPage(await this.catalog.colleges(query, reader.id), (college) =>
      CollegeResponse.of(college),
    );
  }

  @Get('courses')
  @ApiOperation({ summary: 'Courses, newest first' })
  @ApiPage(CourseResponse)
  @ApiErrors(400)
  async courses(
    @CurrentUser() reader: User,
    @Query() query: PageQueryDto,
  ): Promise<Page<CourseResponse>> {
    return mapPage(await this.catalog.courses(query, reader.id), (course) =>
      CourseResponse.of(course),
    );
  }

  @Post('courses')
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Create a course (admin); the code is unique' })
  @ApiCreatedResponse({ type: CourseResponse })
  @ApiErrors(400, [409, 'the course code exists'])
  async createCourse(@Body() body: CreateCourseDto): Promise<CourseResponse> {
    return CourseResponse.of(await this.catalog.createCourse(body));
  }

  @Get('batches')
  @ApiOperation({ summary: 'Batches, newest first; filter by courseId' })
  @ApiPage(BatchResponse)
  @ApiErrors(400)
  async batches(
    @CurrentUser() reader: User,
    @Query() query: ListBatchesQuery,
  ): Promise<Page<BatchResponse>> {
    return mapPage(await this.catalog.batches(query, reader.id), (batch) =>
      BatchResponse.of(batch),
    );
  }

  @Post('batches')
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Create a batch of a course (admin)' })
  @ApiCreatedResponse({ type: BatchResponse })
  @ApiErrors(400, [404, 'course not found'], 422)
  async createBatch(@Body() body: CreateBatchDto): Promise<BatchResponse> {
    return BatchResponse.of(await this.catalog.createBatch(body));
  }

  @Post('applications')
  @Roles(UserRole.Student)
  @ApiOperation({
    summary: 'Apply to a batch (student); also creates a CRM lead in the same transaction',
  })
  @ApiCreatedResponse({ type: ApplicationResponse })
  @ApiErrors(
    400,
    [409, 'you already applied to this batch'],
    [422, 'batchId or collegeId is not known'],
  )
  async apply(
    @CurrentUser() user: User,
    @Body() body: CreateApplicationDto,
  ): Promise<ApplicationResponse> {
    return ApplicationResponse.of(await this.applications.create(body, user));
  }

  @Get('applications')
  @Roles(UserRole.Student, ...STAFF)
  @ApiOperation({
    summary:
      'Applications, newest first: students see their own, sales those whose CRM lead they see, admins all',
  })
  @ApiPage(ApplicationResponse)
  @ApiErrors(400)
  async listApplications(
    @CurrentUser() user: User,
    @Query() query: ListApplicationsQuery,
  ): Promise<Page<ApplicationResponse>> {
    return mapPage(await this.applications.list(query, user), (application) =>
      ApplicationResponse.of(application),
    );
  }

  @Get('applications/:id')
  @Roles(UserRole.Student, ...STAFF)
  @ApiOperation({ summary: 'One application; 404 outside your scope (as in the list)' })
  @ApiOkResponse({ type: ApplicationResponse })
  @ApiErrors(400, 404)
  async getApplication(
    @CurrentUser() user: User,
    @UuidParam('id') id: string,
  ): Promise<ApplicationResponse> {
    return ApplicationResponse.of(await this.applications.get(id, user));
  }

  @Patch('applications/:id/status')
  @Roles(UserRole.Student, ...STAFF)
  @ApiOperation({
    summary:
      'Move an application in your scope along its lifecycle (409 otherwise; 404 outside your scope); students may only withdraw',
  })
  @ApiOkResponse({ type: ApplicationResponse })
  @ApiErrors(400, [403, 'students may only withdraw their own applications'], 404, [
    409,
    'not a transition the current status allows',
  ])
  async changeStatus(
    @CurrentUser() user: User,
    @UuidParam('id') id: string,
    @Body() body: UpdateApplicationStatusDto,
  ): Promise<ApplicationResponse> {
    return ApplicationResponse.of(await this.applications.changeStatus(id, body.status, user));
  }

  @Post('applications/:id/pap')
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Start the MAS-101 pay-after-placement workflow (admin)' })
  @ApiCreatedResponse({ type: PapResponse })
  @ApiErrors(400, 404, [409, 'the application already has a PAP workflow'], 422)
  async startPap(@UuidParam('id') id: string): Promise<PapResponse> {
    return PapResponse.of(await this.pap.start(id));
  }

  @Get('pap/:id')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'One PAP workflow; 404 when its application is outside your scope' })
  @ApiOkResponse({ type: PapResponse })
  @ApiErrors(400, 404)
  async getPap(@CurrentUser() user: User, @UuidParam('id') id: string): Promise<PapResponse> {
    return PapResponse.of(await this.pap.get(id, user));
  }

  @Patch('pap/:id')
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Move a PAP workflow along its lifecycle (409 otherwise)' })
  @ApiOkResponse({ type: PapResponse })
  @ApiErrors(400, 404, [409, 'not a transition the current status allows'])
  async changePap(@UuidParam('id') id: string, @Body() body: UpdatePapDto): Promise<PapResponse> {
    return PapResponse.of(await this.pap.changeStatus(id, body.status));
  }
}
