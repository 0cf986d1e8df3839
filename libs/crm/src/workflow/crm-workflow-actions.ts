import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { EmailTemplate, emailMessage } from '@mas/email';
import { OutboxService } from '@mas/persistence';
import { PermanentError } from '@mas/domain-errors';
import { type ActionInput, paramOneOf, WorkflowActions } from '@mas/workflow';
import { EntityManager } from 'typeorm';
import { leadAssignedEvent } from '../leads/lead-assigned-event.js';
import { leadOfApplication } from '../leads/lead-of-application.js';
import { nextSalesUser, type SalesUser } from './sales-rotation.js';

/** Emails a workflow may send a lead's owner. */
export const OWNER_WORKFLOW_EMAILS = [EmailTemplate.ApplicationReviewReminder] as const;

type OwnerWorkflowEmail = (typeof OWNER_WORKFLOW_EMAILS)[number];

/** What a run without anyone to assign records: the cause and the fix, for whoever reads it. */
export const NO_SALES_USER = 'no active sales user to assign; create a user with role sales';

interface ApplicationLead {
  id: string;
  fullName: string;
  owner: SalesUser | null;
}

/** The CRM steps workflows can take on an application's lead. */
@Injectable()
export class CrmWorkflowActions implements OnModuleInit {
  private readonly logger = new Logger('CrmWorkflowActions');

  constructor(
    private readonly actions: WorkflowActions,
    private readonly outbox: OutboxService,
  ) {}

  onModuleInit(): void {
    this.actions.register('crm.assign_sales_owner', {
      run: (input) => this.assignSalesOwner(input),
    });
    this.actions.register('crm.remind_owner', {
      checkParams: paramOneOf('template', OWNER_WORKFLOW_EMAILS),
      run: (input) => this.remindOwner(input),
    });
  }

  /**
   * Gives the application's lead the next active sales user in turn; a lead that already has an
   * active owner keeps them. Without an active sales user the attempt fails and is retried by the
   * step's policy (creating one is enough to recover); the run fails after the last attempt.
   */
  private async assignSalesOwner({ tx, run }: ActionInput) {
    const lead = await this.lockLead(tx, run);
    if (lead.owner) return { leadId: lead.id, owner: lead.owner };
    const owner = await nextSalesUser(tx);
    if (!owner) {
      this.logger.warn(
        `workflow run ${run.id} (${run.definitionKey}), step "${run.step}", attempt ${run.attempt}: ${NO_SALES_USER}`,
      );
      throw new Error(NO_SALES_USER);
    }
    await tx.query(`UPDATE mas_crm.leads SET owner_id = $2, updated_at = now() WHERE id = $1`, [
      lead.id,
      owner.id,
    ]);
    await this.outbox.publish(tx, leadAssignedEvent(lead, owner.id, null));
    return { leadId: lead.id, owner };
  }

  private async remindOwner({ tx, run, params }: ActionInput) {
    const lead = await this.lockLead(tx, run);
    if (!lead.owner) throw new PermanentError('the lead has no active owner to remind');
    await this.outbox.email(
      tx,
      emailMessage(params.template as OwnerWorkflowEmail, lead.owner.email, {
        fullName: lead.owner.fullName,
        applicantName: lead.fullName,
        applicationId: run.subjectId,
      }),
    );
    return { remindedOwnerId: lead.owner.id };
  }

  /** The lead of the run's subject application (linked by application or by its student). */
  private async lockLead(tx: EntityManager, run: ActionInput['run']): Promise<ApplicationLead> {
    if (run.subjectType !== 'application') {
      throw new PermanentError(`CRM actions work on applications, not ${run.subjectType}`);
    }
    const [lead] = await tx.query<ApplicationLead[]>(
      `SELECT lead.id, lead.full_name AS "fullName",
              CASE WHEN owner.is_active THEN json_build_object(
                'id', owner.id, 'fullName', owner.full_name, 'email', owner.email) END AS owner
         FROM mas_crm.leads lead
         LEFT JOIN users owner ON owner.id = lead.owner_id
        WHERE ${leadOfApplication('lead', '$1::uuid')}
        ORDER BY (lead.application_id = $1) DESC NULLS LAST
        LIMIT 1
        FOR UPDATE OF lead`,
      [run.subjectId],
    );
    if (!lead) throw new PermanentError('the application has no CRM lead');
    return lead;
  }
}
