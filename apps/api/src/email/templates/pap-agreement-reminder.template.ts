import { type EmailBody } from './email-layout.js';
import { type TemplateData } from './template-data.js';

export function papAgreementReminder(data: TemplateData): EmailBody {
  return {
    subject: 'Reminder: your pay-after-placement agreement is waiting',
    greeting: `Hi ${data.text('fullName')},`,
    paragraphs: [
      'Your pay-after-placement agreement is not signed yet. Sign it to start your training.',
    ],
    details: [['Application', data.text('applicationId')]],
  };
}
