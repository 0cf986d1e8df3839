import {
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { User, UserRole } from '@mas/identity';
import {
  OutboxService,
  Page,
  paginateByKeyset,
  PgCode,
  postgresErrorOf,
  TransactionRunner,
} from '@mas/persistence';
import { CreateApplicationDto, ListApplicationsQuery } from '../dto/lms.dto.js';
import { ApplicationStatus } from '../entities/application-status.enum.js';
import { Application } from '../entities/application.entity.js';
import { Batch } from '../entities/batch.entity.js';
import { College } from '../entities/college.entity.js';
import { APPLICATION_TRANSITIONS, assertTransition } from './application-lifecycle.js';

export const APPLICATION_RECEIVED_EMAIL = 'application_received';

@Injectable()
export class ApplicationsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * One per student and batch (409). The price is the batch price at the time of applying.
   * Subscribers on the insert (the CRM lead) run in this same transaction.
   */
  create(input: CreateApplicationDto, student: User): Promise<Application> {
    return this.transactions.run(async (tx) => {
      const batch = await tx.findOneBy(Batch, { id: input.batchId });
      if (!batch) throw new UnprocessableEntityException('batchId is not a known batch');
      if (input.collegeId && !(await tx.existsBy(College, { id: input.collegeId }))) {
        throw new UnprocessableEntityException('collegeId is not a known college');
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
        await this.outbox.email(tx, {
          template: APPLICATION_RECEIVED_EMAIL,
          to: student.email,
          data: {
            fullName: student.fullName,
            applicationId: application.id,
            batchName: batch.name,
          },
        });
        return application;
      } catch (error) {
        if (postgresErrorOf(error)?.code === PgCode.uniqueViolation)
          throw new ConflictException('you already applied to this batch');
        throw error;
      }
    });
  }

  list(query: ListApplicationsQuery, caller: User): Promise<Page<Application>> {
    const applications = this.transactions.manager().createQueryBuilder(Application, 'application');
    if (caller.role === UserRole.Student)
      applications.andWhere('application.userId = :me', { me: caller.id });
    if (query.status)
      applications.andWhere('application.status = :status', { status: query.status });
    if (query.batchId)
      applications.andWhere('application.batchId = :batchId', { batchId: query.batchId });
    return paginateByKeyset(applications, query);
  }

  async get(id: string, caller: User): Promise<Application> {
    const application = await this.transactions.manager().findOneBy(Application, { id });
    if (!application || (caller.role === UserRole.Student && application.userId !== caller.id)) {
      throw new NotFoundException('application not found');
    }
    return application;
  }

  /** Staff move applications along the lifecycle; a student may only withdraw their own. */
  changeStatus(id: string, status: ApplicationStatus, caller: User): Promise<Application> {
    return this.transactions.run(async (tx) => {
      const application = await tx.findOne(Application, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!application) throw new NotFoundException('application not found');
      if (
        caller.role === UserRole.Student &&
        (application.userId !== caller.id || status !== ApplicationStatus.Withdrawn)
      ) {
        throw new ForbiddenException('students may only withdraw their own applications');
      }
      assertTransition('application', APPLICATION_TRANSITIONS, application.status, status);
      const previous = application.status;
      application.status = status;
      const saved = await tx.save(application);
      await this.outbox.publish(tx, {
        type: 'application.status_changed',
        data: { applicationId: application.id, from: previous, to: status },
        rooms: [`user:${application.userId}`],
      });
      return saved;
    });
  }
}
