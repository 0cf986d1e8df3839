import { detail, type EmailBody } from './email-layout.js';
import { type TemplateData } from './template-data.js';

export function applicationReceived(data: TemplateData): EmailBody {
  const course = data.optionalText('courseTitle');
  const batch = data.optionalText('batchName');
  const programme = [course, batch].filter(Boolean).join(', ') || 'our programme';
  return {
    subject: `We received your application for ${programme}`,
    greeting: `Hi ${data.text('fullName')},`,
    paragraphs: [
      `Thank you for applying to ${programme}. We will review your application and get back to you.`,
    ],
    details: [
      ...detail('Course', course),
      ...detail('Batch', batch),
      ['Application', data.text('applicationId')],
    ],
  };
}
