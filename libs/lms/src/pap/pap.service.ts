import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, RuleViolationError } from '@mas/domain-errors';
import { User } from '@mas/identity';
import { PgCode, postgresErrorOf, TransactionRunner } from '@mas/persistence';
import { EntityManager } from 'typeorm';
import { assertTransition, PAP_TRANSITIONS } from '../applications/application-lifecycle.js';
import { ApplicationScope } from '../applications/application-scope.js';
import { ApplicationStatus, PapStatus } from '../entities/application-status.enum.js';
import { Application } from '../entities/application.entity.js';
import { PapWorkflow } from '../entities/pap-workflow.entity.js';

/** Only applications to this course have a pay-after-placement workflow. */
export const PAP_COURSE_CODE = 'MAS-101';

@Injectable()
export class PapService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly scope: ApplicationScope,
  ) {}

  /** Starts the workflow of an accepted or enrolled MAS-101 application (once: 409 after). */
  start(applicationId: string): Promise<PapWorkflow> {
    return this.transactions.run((tx) => this.open(tx, applicationId));
  }

  /** Opens the workflow of an accepted or enrolled MAS-101 application in `tx`. */
  async open(tx: EntityManager, applicationId: string): Promise<PapWorkflow> {
    const application = await tx
      .createQueryBuilder(Application, 'application')
      .innerJoinAndSelect('application.batch', 'batch')
      .innerJoinAndSelect('batch.course', 'course')
      .where('application.id = :applicationId', { applicationId })
      .getOne();
    if (!application) throw new NotFoundError('application not found');
    if (application.batch?.course?.code !== PAP_COURSE_CODE) {
      throw new RuleViolationError(
        `pay-after-placement is only for ${PAP_COURSE_CODE} applications`,
      );
    }
    if (![ApplicationStatus.Accepted, ApplicationStatus.Enrolled].includes(application.status)) {
      throw new RuleViolationError(
        `application is ${application.status}; it must be accepted or enrolled`,
      );
    }
    try {
      return await tx.save(tx.create(PapWorkflow, { applicationId }));
    } catch (error) {
      if (postgresErrorOf(error)?.code === PgCode.uniqueViolation)
        throw new ConflictError('this application already has a PAP workflow');
      throw error;
    }
  }

  /** The PAP workflow of an application, locked for update, or null. */
  lockByApplication(tx: EntityManager, applicationId: string): Promise<PapWorkflow | null> {
    return tx.findOne(PapWorkflow, {
      where: { applicationId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** 404 when its application is outside the viewer's scope. */
  async get(id: string, viewer: User): Promise<PapWorkflow> {
    const pap = await this.scope
      .restrict(
        this.transactions.manager().createQueryBuilder(PapWorkflow, 'pap'),
        'pap.application_id',
        viewer,
      )
      .andWhere('pap.id = :id', { id })
      .getOne();
    if (!pap) throw new NotFoundError('PAP workflow not found');
    return pap;
  }

  changeStatus(id: string, status: PapStatus): Promise<PapWorkflow> {
    return this.transactions.run(async (tx) => {
      const pap = await tx.findOne(PapWorkflow, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!pap) throw new NotFoundError('PAP workflow not found');
      return this.transition(tx, pap, status);
    });
  }

  transition(tx: EntityManager, pap: PapWorkflow, status: PapStatus): Promise<PapWorkflow> {
    assertTransition('PAP workflow', PAP_TRANSITIONS, pap.status, status);
    pap.status = status;
    return tx.save(pap);
  }
}
