import { Injectable } from '@nestjs/common';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
} from '@mas/domain-errors';
import { User, UserRole } from '@mas/identity';
import {
  OutboxEntries,
  OutboxService,
  type Page,
  paginateByKeyset,
  ReplicaReads,
  PgCode,
  postgresErrorOf,
  TransactionRunner,
  userRoom,
} from '@mas/persistence';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { EmailTemplate, emailMessage } from '@mas/email';
import { CreateApplicationDto, ListApplicationsQuery } from '../dto/lms.dto.js';
import { ApplicationStatus } from '../entities/application-status.enum.js';
import { Application } from '../entities/application.entity.js';
import { Batch } from '../entities/batch.entity.js';
import { College } from '../entities/college.entity.js';
import { APPLICATION_TRANSITIONS, assertTransition } from './application-lifecycle.js';
import { ApplicationScope } from './application-scope.js';

@Injectable()
export class ApplicationsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly outbox: OutboxService,
    private readonly scope: ApplicationScope,
    private readonly reads: ReplicaReads,
  ) {}

  /**
   * One per student and batch (409). The price is the batch price at the time of applying.
   * Subscribers on the insert (the CRM lead) run in this same transaction; `application.created`
   * (a domain event: the application review workflow starts on it) commits with it.
   */
  create(input: CreateApplicationDto, student: User): Promise<Application> {
    return this.transactions.run(async (tx) => {
      const batch = await tx.findOne(Batch, {
        where: { id: input.batchId },
        relations: { course: true },
      });
      if (!batch) throw new RuleViolationError('batchId is not a known batch');
      if (input.collegeId && !(await tx.existsBy(College, { id: input.collegeId }))) {
        throw new RuleViolationError('collegeId is not a known college');
      }
      const applications = tx.getRepository(Application);
      try {
        const application = await applications.save(
          applications.create({
            userId: student.id,
            batchId: batch.id,
            collegeId: input.collegeId ?? null,
            finalAmount: batch.price,
            extraData: input.extraData ?? null,
          }),
        );
        await this.outbox.email(
          tx,
          emailMessage(EmailTemplate.ApplicationReceived, student.email, {
            fullName: student.fullName,
            applicationId: application.id,
            batchName: batch.name,
          }),
        );
        await this.outbox.event(tx, {
          type: 'application.created',
          subject: { type: 'application', id: application.id },
          data: {
            applicationId: application.id,
            userId: student.id,
            batchId: batch.id,
            courseCode: batch.course?.code ?? null,
          },
        });
        return application;
      } catch (error) {
        if (postgresErrorOf(error)?.code === PgCode.uniqueViolation)
          throw new ConflictError('you already applied to this batch');
        throw error;
      }
    });
  }

  /**
   * Only what the caller may see (ApplicationScope). May be served by a read replica that has
   * replayed the caller's own writes.
   */
  list(query: ListApplicationsQuery, caller: User): Promise<Page<Application>> {
    return this.reads.run(caller.id, (manager) => {
      const applications = this.visibleTo(manager, caller);
      if (query.status)
        applications.andWhere('application.status = :status', { status: query.status });
      if (query.batchId)
        applications.andWhere('application.batchId = :batchId', { batchId: query.batchId });
      return paginateByKeyset(applications, query);
    });
  }

  /** 404 for an application outside the caller's scope: it does not exist for them. */
  async get(id: string, caller: User): Promise<Application> {
    const application = await this.visibleTo(this.transactions.manager(), caller)
      .andWhere('application.id = :id', { id })
      .getOne();
    if (!application) throw new NotFoundError('application not found');
    return application;
  }

  /**
   * Staff move applications in their scope along the lifecycle; a student may only withdraw their
   * own. Out of scope is a 404 and changes nothing.
   */
  changeStatus(id: string, status: ApplicationStatus, caller: User): Promise<Application> {
    return this.transactions.run(async (tx) => {
      const application = await this.visibleTo(tx, caller)
        .andWhere('application.id = :id', { id })
        .setLock('pessimistic_write')
        .getOne();
      if (!application) throw new NotFoundError('application not found');
      if (caller.role === UserRole.Student && status !== ApplicationStatus.Withdrawn) {
        throw new ForbiddenError('students may only withdraw their own applications');
      }
      return this.transition(tx, application, status);
    });
  }

  private visibleTo(manager: EntityManager, caller: User): SelectQueryBuilder<Application> {
    return this.scope.restrict(
      manager.createQueryBuilder(Application, 'application'),
      'application.id',
      caller,
    );
  }

  async lock(tx: EntityManager, id: string): Promise<Application> {
    const application = await tx.findOne(Application, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!application) throw new NotFoundError('application not found');
    return application;
  }

  /**
   * Moves a locked application to `status` (409 when the lifecycle forbids it), telling the
   * applicant (realtime) and the rest of the system (`application.status_changed` domain event).
   */
  async transition(
    tx: EntityManager,
    application: Application,
    status: ApplicationStatus,
  ): Promise<Application> {
    assertTransition('application', APPLICATION_TRANSITIONS, application.status, status);
    const previous = application.status;
    await tx.update(Application, { id: application.id }, { status });
    application.status = status;
    const data = { applicationId: application.id, from: previous, to: status };
    await this.outbox.record(tx, [
      OutboxEntries.realtime({
        type: 'application.status_changed',
        data,
        rooms: [userRoom(application.userId)],
      }),
      OutboxEntries.event({
        type: 'application.status_changed',
        subject: { type: 'application', id: application.id },
        data: { ...data, courseCode: await courseCodeOf(tx, application.batchId) },
      }),
    ]);
    return (await tx.findOneBy(Application, { id: application.id }))!;
  }
}

async function courseCodeOf(tx: EntityManager, batchId: string): Promise<string | null> {
  const batch = await tx.findOne(Batch, { where: { id: batchId }, relations: { course: true } });
  return batch?.course?.code ?? null;
}
