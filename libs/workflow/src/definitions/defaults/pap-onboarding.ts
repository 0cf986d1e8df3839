import { EmailTemplate } from '@mas/email';
import type { NewDefinition } from '../definitions.service.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * On a MAS-101 application's acceptance: its pay-after-placement workflow is opened and the
 * applicant emailed; the `agreement_signed` signal moves it into training. Every 7 days without
 * it, the applicant is reminded.
 */
export const PAP_ONBOARDING: NewDefinition = {
  key: 'pap_onboarding',
  name: 'MAS-101 pay-after-placement onboarding',
  trigger: {
    event: 'application.status_changed',
    when: 'data.to == "accepted" && data.courseCode == "MAS-101"',
  },
  config: {
    start: 'open_pap',
    steps: {
      open_pap: { type: 'action', action: 'lms.open_pap', next: 'email_onboarding' },
      email_onboarding: {
        type: 'action',
        action: 'lms.email_applicant',
        params: { template: EmailTemplate.PapOnboarding },
        next: 'wait_for_agreement',
      },
      wait_for_agreement: {
        type: 'wait_for_signal',
        event: 'agreement_signed',
        timeoutMs: 7 * DAY_MS,
        onTimeout: 'remind_agreement',
        next: 'sign_agreement',
      },
      remind_agreement: {
        type: 'action',
        action: 'lms.email_applicant',
        params: { template: EmailTemplate.PapAgreementReminder },
        next: 'wait_for_agreement',
      },
      sign_agreement: {
        type: 'action',
        action: 'lms.set_pap_status',
        params: { status: 'agreement_signed' },
        next: 'start_training',
      },
      start_training: {
        type: 'action',
        action: 'lms.set_pap_status',
        params: { status: 'in_training' },
        next: 'done',
      },
      done: { type: 'end' },
    },
  },
};
