import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, Roles, User, UserRole } from '@mas/identity';
import { ApiErrors, UuidParam } from '@mas/http';
import { StudentProgressResponse } from './student-progress.response.js';
import { StudentProgressService } from './student-progress.service.js';

@ApiTags('lms')
@Authenticated()
@Controller('lms')
export class StudentProgressController {
  constructor(private readonly progress: StudentProgressService) {}

  @Get('students/:userId/progress')
  @Roles(UserRole.Admin, UserRole.SalesHead, UserRole.Sales, UserRole.Student)
  @ApiOperation({
    summary:
      "A student's LMS applications with their Mr. Learn enrollments and Mr. Test attempts: " +
      'the student themself, admins, and sales who may see one of their applications; 404 otherwise',
  })
  @ApiOkResponse({ type: StudentProgressResponse })
  @ApiErrors(400, 404)
  async get(
    @CurrentUser() caller: User,
    @UuidParam('userId') userId: string,
  ): Promise<StudentProgressResponse> {
    return StudentProgressResponse.of(await this.progress.of(userId, caller));
  }
}
