import { detail, type EmailBody } from './email-layout.js';
import { type TemplateData } from './template-data.js';

export function papOnboarding(data: TemplateData): EmailBody {
  const course = data.optionalText('courseTitle');
  return {
    subject: 'Welcome to pay-after-placement: your next step',
    greeting: `Hi ${data.text('fullName')},`,
    paragraphs: [
      `Congratulations on your acceptance${course ? ` to ${course}` : ''}. You study now and pay once you are placed.`,
      'Please read and sign your pay-after-placement agreement to begin training.',
    ],
    details: [...detail('Course', course), ['Application', data.text('applicationId')]],
  };
}
