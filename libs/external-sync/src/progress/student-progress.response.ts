import { ApiProperty } from '@nestjs/swagger';
import { ApplicationStatus } from '@mas/lms';
import {
  type AttemptView,
  type EnrollmentView,
  type StudentProgress,
} from './student-progress.service.js';

export class EnrollmentResponse {
  @ApiProperty({ description: "Mr. Learn's enrollment id" }) id: string;
  @ApiProperty() courseCode: string;
  @ApiProperty({ description: "Mr. Learn's status, as sent", example: 'active' }) status: string;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress: number;
  @ApiProperty({ description: 'when Mr. Learn last changed it' }) updatedAt: string;

  static of(enrollment: EnrollmentView): EnrollmentResponse {
    return { ...enrollment, updatedAt: enrollment.updatedAt.toISOString() };
  }
}

export class ApplicationProgressResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) batchId: string;
  @ApiProperty() courseCode: string;
  @ApiProperty({ enum: ApplicationStatus }) status: ApplicationStatus;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: [EnrollmentResponse], description: 'Mr. Learn enrollments in this course' })
  enrollments: EnrollmentResponse[];
}

export class AttemptResponse {
  @ApiProperty({ description: "Mr. Test's attempt id" }) id: string;
  @ApiProperty() assessmentId: string;
  @ApiProperty({ type: String, nullable: true, description: 'null until the assessment is synced' })
  assessmentTitle: string | null;
  @ApiProperty({ example: '87.50' }) score: string;
  @ApiProperty({ type: String, nullable: true, example: '100.00' }) maxScore: string | null;
  @ApiProperty() submittedAt: string;

  static of(attempt: AttemptView): AttemptResponse {
    return { ...attempt, submittedAt: attempt.submittedAt.toISOString() };
  }
}

export class SyncedAtResponse {
  @ApiProperty({ type: String, nullable: true }) mrlearn: string | null;
  @ApiProperty({ type: String, nullable: true }) mrtest: string | null;
}

export class StudentProgressResponse {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({
    type: [ApplicationProgressResponse],
    description: 'LMS applications you may see, newest first, each with its Mr. Learn enrollments',
  })
  applications: ApplicationProgressResponse[];
  @ApiProperty({
    type: [EnrollmentResponse],
    description: 'Mr. Learn enrollments in courses without such an application',
  })
  otherEnrollments: EnrollmentResponse[];
  @ApiProperty({ type: [AttemptResponse], description: 'Mr. Test attempts, newest first' })
  attempts: AttemptResponse[];
  @ApiProperty({
    type: SyncedAtResponse,
    description: 'when each platform was last pulled to its end (null: never)',
  })
  syncedAt: SyncedAtResponse;

  static of(progress: StudentProgress): StudentProgressResponse {
    return {
      userId: progress.userId,
      applications: progress.applications.map((application) => ({
        ...application,
        createdAt: application.createdAt.toISOString(),
        enrollments: application.enrollments.map((e) => EnrollmentResponse.of(e)),
      })),
      otherEnrollments: progress.otherEnrollments.map((e) => EnrollmentResponse.of(e)),
      attempts: progress.attempts.map((attempt) => AttemptResponse.of(attempt)),
      syncedAt: {
        mrlearn: progress.syncedAt.mrlearn?.toISOString() ?? null,
        mrtest: progress.syncedAt.mrtest?.toISOString() ?? null,
      },
    };
  }
}
