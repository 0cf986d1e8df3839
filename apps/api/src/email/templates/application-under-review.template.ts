import { detail, type EmailBody } from './email-layout.js';
import { type TemplateData } from './template-data.js';

export function applicationUnderReview(data: TemplateData): EmailBody {
  const batch = data.optionalText('batchName');
  const owner = data.optionalText('ownerName');
  return {
    subject: 'Your application is under review',
    greeting: `Hi ${data.text('fullName')},`,
    paragraphs: [
      `Your application${batch ? ` for ${batch}` : ''} is now being reviewed.`,
      owner
        ? `${owner} from our admissions team will be in touch with you.`
        : 'Our admissions team will be in touch with you.',
    ],
    details: [...detail('Batch', batch), ['Application', data.text('applicationId')]],
  };
}
