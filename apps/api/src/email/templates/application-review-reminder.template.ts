import { type EmailBody } from './email-layout.js';
import { type TemplateData } from './template-data.js';

/** To the sales owner of an application nobody has reviewed in time. */
export function applicationReviewReminder(data: TemplateData): EmailBody {
  const applicant = data.text('applicantName');
  return {
    subject: `Reminder: ${applicant}'s application is waiting for your review`,
    greeting: `Hi ${data.text('fullName')},`,
    paragraphs: [
      `${applicant}'s application is still waiting for a decision. Please review it and record the outcome.`,
    ],
    details: [['Application', data.text('applicationId')]],
  };
}
