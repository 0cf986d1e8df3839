import { EmailTemplate } from '@mas/email';
import type { NewDefinition } from '../definitions.service.js';

const HOUR_MS = 3600 * 1000;

/**
 * On a new application: a sales owner (round-robin), the application under review, an email to the
 * applicant, then the `reviewed` signal `{ decision: accepted | rejected }` decides. Every 72 hours
 * without it, the owner is reminded.
 */
export const APPLICATION_REVIEW: NewDefinition = {
  key: 'application_review',
  name: 'Application review',
  trigger: { event: 'application.created' },
  config: {
    start: 'assign_owner',
    steps: {
      assign_owner: {
        type: 'action',
        action: 'crm.assign_sales_owner',
        retry: { maxAttempts: 5, backoffMs: 60_000 },
        next: 'start_review',
      },
      start_review: {
        type: 'action',
        action: 'lms.set_application_status',
        params: { status: 'under_review' },
        next: 'email_applicant',
      },
      email_applicant: {
        type: 'action',
        action: 'lms.email_applicant',
        params: { template: EmailTemplate.ApplicationUnderReview },
        next: 'wait_for_review',
      },
      wait_for_review: {
        type: 'wait_for_signal',
        event: 'reviewed',
        payloadCondition: 'payload.decision == "accepted" || payload.decision == "rejected"',
        timeoutMs: 72 * HOUR_MS,
        onTimeout: 'remind_owner',
        next: 'decide',
      },
      remind_owner: {
        type: 'action',
        action: 'crm.remind_owner',
        params: { template: EmailTemplate.ApplicationReviewReminder },
        next: 'wait_for_review',
      },
      decide: {
        type: 'branch',
        branches: [{ when: 'signals.reviewed.decision == "accepted"', next: 'accept' }],
        otherwise: 'reject',
      },
      accept: {
        type: 'action',
        action: 'lms.set_application_status',
        params: { status: 'accepted' },
        next: 'done',
      },
      reject: {
        type: 'action',
        action: 'lms.set_application_status',
        params: { status: 'rejected' },
        next: 'done',
      },
      done: { type: 'end' },
    },
  },
};
