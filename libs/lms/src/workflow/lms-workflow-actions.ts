import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EmailTemplate, emailMessage } from '@mas/email';
import { OutboxService } from '@mas/persistence';
import { PermanentError } from '@mas/domain-errors';
import { type ActionInput, paramOneOf, WorkflowActions } from '@mas/workflow';
import { ApplicationStatus, PapStatus } from '../entities/application-status.enum.js';
import { Application } from '../entities/application.entity.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { PapService } from '../pap/pap.service.js';

/** Emails a workflow may send an applicant. */
export const APPLICANT_WORKFLOW_EMAILS = [
  EmailTemplate.ApplicationUnderReview,
  EmailTemplate.PapOnboarding,
  EmailTemplate.PapAgreementReminder,
] as const;

type ApplicantWorkflowEmail = (typeof APPLICANT_WORKFLOW_EMAILS)[number];

/** The LMS steps workflows can take; each works on the run's subject application. */
@Injectable()
export class LmsWorkflowActions implements OnModuleInit {
  constructor(
    private readonly actions: WorkflowActions,
    private readonly applications: ApplicationsService,
    private readonly pap: PapService,
    private readonly outbox: OutboxService,
  ) {}

  onModuleInit(): void {
    this.actions.register('lms.set_application_status', {
      checkParams: paramOneOf('status', Object.values(ApplicationStatus)),
      run: (input) => this.setApplicationStatus(input),
    });
    this.actions.register('lms.email_applicant', {
      checkParams: paramOneOf('template', APPLICANT_WORKFLOW_EMAILS),
      run: (input) => this.emailApplicant(input),
    });
    this.actions.register('lms.open_pap', { run: (input) => this.openPap(input) });
    this.actions.register('lms.set_pap_status', {
      checkParams: paramOneOf('status', Object.values(PapStatus)),
      run: (input) => this.setPapStatus(input),
    });
  }

  /** Already in the status (set by hand meanwhile) counts as done. */
  private async setApplicationStatus({ tx, run, params }: ActionInput) {
    const status = params.status as ApplicationStatus;
    const application = await this.applications.lock(tx, applicationIdOf(run));
    if (application.status !== status) await this.applications.transition(tx, application, status);
    return { applicationStatus: status };
  }

  private async emailApplicant({ tx, run, params }: ActionInput): Promise<void> {
    const application = await tx.findOne(Application, {
      where: { id: applicationIdOf(run) },
      relations: { user: true, batch: { course: true } },
    });
    if (!application?.user) throw new PermanentError('application not found');
    const owner = run.context.owner as { fullName?: string } | undefined;
    await this.outbox.email(
      tx,
      emailMessage(params.template as ApplicantWorkflowEmail, application.user.email, {
        fullName: application.user.fullName,
        applicationId: application.id,
        batchName: application.batch?.name,
        courseTitle: application.batch?.course?.title,
        ownerName: owner?.fullName,
      }),
    );
  }

  /** The application's PAP workflow, opened unless it already is. */
  private async openPap({ tx, run }: ActionInput) {
    const applicationId = applicationIdOf(run);
    const pap =
      (await this.pap.lockByApplication(tx, applicationId)) ??
      (await this.pap.open(tx, applicationId));
    return { papId: pap.id };
  }

  private async setPapStatus({ tx, run, params }: ActionInput) {
    const status = params.status as PapStatus;
    const pap = await this.pap.lockByApplication(tx, applicationIdOf(run));
    if (!pap) throw new PermanentError('the application has no PAP workflow');
    if (pap.status !== status) await this.pap.transition(tx, pap, status);
    return { papStatus: status };
  }
}

function applicationIdOf(run: ActionInput['run']): string {
  if (run.subjectType !== 'application') {
    throw new PermanentError(`LMS actions work on applications, not ${run.subjectType}`);
  }
  return run.subjectId;
}
