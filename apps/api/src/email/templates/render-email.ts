import { EmailTemplate, type EmailTemplateName } from '@mas/email';
import { applicationReceived } from './application-received.template.js';
import { applicationReviewReminder } from './application-review-reminder.template.js';
import { applicationUnderReview } from './application-under-review.template.js';
import { bookingCancelled } from './booking-cancelled.template.js';
import { bookingConfirmation } from './booking-confirmation.template.js';
import { EmailDataError } from './email-data-error.js';
import { type EmailBody, type EmailContent, layoutEmail } from './email-layout.js';
import { papAgreementReminder } from './pap-agreement-reminder.template.js';
import { papOnboarding } from './pap-onboarding.template.js';
import { TemplateData } from './template-data.js';

const TEMPLATES: Record<EmailTemplateName, (data: TemplateData) => EmailBody> = {
  [EmailTemplate.BookingConfirmation]: bookingConfirmation,
  [EmailTemplate.BookingCancelled]: bookingCancelled,
  [EmailTemplate.ApplicationReceived]: applicationReceived,
  [EmailTemplate.ApplicationUnderReview]: applicationUnderReview,
  [EmailTemplate.ApplicationReviewReminder]: applicationReviewReminder,
  [EmailTemplate.PapOnboarding]: papOnboarding,
  [EmailTemplate.PapAgreementReminder]: papAgreementReminder,
};

/** Subject, plain text and HTML of a message; throws EmailDataError when it cannot be rendered. */
export function renderEmail(template: string, data: Record<string, unknown>): EmailContent {
  if (!Object.hasOwn(TEMPLATES, template)) {
    throw new EmailDataError(`unknown email template "${template}"`);
  }
  const body = TEMPLATES[template as EmailTemplateName](new TemplateData(template, data));
  return layoutEmail(body);
}
