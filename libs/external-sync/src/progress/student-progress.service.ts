import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@mas/domain-errors';
import { User, UserRole } from '@mas/identity';
import { Application, ApplicationScope, ApplicationStatus } from '@mas/lms';
import { TransactionRunner } from '@mas/persistence';
import { type EntityManager } from 'typeorm';

export interface EnrollmentView {
  id: string;
  courseCode: string;
  status: string;
  progress: number;
  updatedAt: Date;
}

export interface ApplicationProgress {
  id: string;
  batchId: string;
  courseCode: string;
  status: ApplicationStatus;
  createdAt: Date;
  /** The student's Mr. Learn enrollments in the application's course. */
  enrollments: EnrollmentView[];
}

export interface AttemptView {
  id: string;
  assessmentId: string;
  assessmentTitle: string | null;
  score: string;
  maxScore: string | null;
  submittedAt: Date;
}

export interface StudentProgress {
  userId: string;
  applications: ApplicationProgress[];
  /** Mr. Learn enrollments in courses the student has no (visible) application for. */
  otherEnrollments: EnrollmentView[];
  attempts: AttemptView[];
  /** When each platform was last fully pulled: the data is as fresh as this. */
  syncedAt: { mrlearn: Date | null; mrtest: Date | null };
}

/**
 * A student's LMS applications beside their Mr. Learn enrollments (by course code) and Mr. Test
 * attempts, for the student themself, admins, and sales users who may see one of the student's
 * applications (ApplicationScope); for anyone else the student does not exist (404).
 */
@Injectable()
export class StudentProgressService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly scope: ApplicationScope,
  ) {}

  async of(userId: string, caller: User): Promise<StudentProgress> {
    const manager = this.transactions.manager();
    const applications = await this.visibleApplications(manager, userId, caller);
    if (!(await this.mayRead(manager, userId, caller, applications.length))) {
      throw new NotFoundError('student not found');
    }
    const [enrollments, attempts, syncedAt] = await Promise.all([
      this.enrollments(manager, userId),
      this.attempts(manager, userId),
      this.syncedAt(manager),
    ]);
    const applied = new Set(applications.map((application) => application.courseCode));
    return {
      userId,
      applications: applications.map((application) => ({
        ...application,
        enrollments: enrollments.filter((e) => e.courseCode === application.courseCode),
      })),
      otherEnrollments: enrollments.filter((enrollment) => !applied.has(enrollment.courseCode)),
      attempts,
      syncedAt,
    };
  }

  private async mayRead(
    manager: EntityManager,
    userId: string,
    caller: User,
    visibleApplications: number,
  ): Promise<boolean> {
    switch (caller.role) {
      case UserRole.Admin:
        return manager.existsBy(User, { id: userId });
      case UserRole.Student:
        return caller.id === userId;
      case UserRole.Sales:
      case UserRole.SalesHead:
        return visibleApplications > 0;
      default:
        return false;
    }
  }

  private async visibleApplications(
    manager: EntityManager,
    userId: string,
    caller: User,
  ): Promise<Omit<ApplicationProgress, 'enrollments'>[]> {
    const query = manager
      .createQueryBuilder(Application, 'application')
      .innerJoin('application.batch', 'batch')
      .innerJoin('batch.course', 'course')
      .select('application.id', 'id')
      .addSelect('application.batchId', 'batchId')
      .addSelect('course.code', 'courseCode')
      .addSelect('application.status', 'status')
      .addSelect('application.createdAt', 'createdAt')
      .where('application.userId = :userId', { userId })
      .orderBy('application.createdAt', 'DESC')
      .addOrderBy('application.id', 'DESC');
    return this.scope
      .restrict(query, 'application.id', caller)
      .getRawMany<Omit<ApplicationProgress, 'enrollments'>>();
  }

  private enrollments(manager: EntityManager, userId: string): Promise<EnrollmentView[]> {
    return manager.query<EnrollmentView[]>(
      `SELECT e.id, e.course_code AS "courseCode", e.status, e.progress, e.updated_at AS "updatedAt"
         FROM mrlearn.enrollments e JOIN mrlearn.learners l ON l.id = e.learner_id
        WHERE l.user_id = $1 ORDER BY e.course_code, e.id`,
      [userId],
    );
  }

  private attempts(manager: EntityManager, userId: string): Promise<AttemptView[]> {
    return manager.query<AttemptView[]>(
      `SELECT a.id, a.assessment_id AS "assessmentId", s.title AS "assessmentTitle",
              a.score::text AS score, s.max_score::text AS "maxScore", a.submitted_at AS "submittedAt"
         FROM mrtest.attempts a LEFT JOIN mrtest.assessments s ON s.id = a.assessment_id
        WHERE a.user_id = $1 ORDER BY a.submitted_at DESC, a.id`,
      [userId],
    );
  }

  private async syncedAt(manager: EntityManager): Promise<StudentProgress['syncedAt']> {
    const [row] = await manager.query<{ mrlearn: Date | null; mrtest: Date | null }[]>(
      `SELECT (SELECT min(caught_up_at) FROM mrlearn.sync_state) AS mrlearn,
              (SELECT min(caught_up_at) FROM mrtest.sync_state) AS mrtest`,
    );
    return row;
  }
}
