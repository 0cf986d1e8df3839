import { detail, type EmailBody } from './email-layout.js';
import { type TemplateData } from './template-data.js';

export function bookingConfirmation(data: TemplateData): EmailBody {
  const mentor = data.optionalText('mentorName');
  const starts = data.when('startsAt');
  const ends = data.optionalWhen('endsAt');
  const session = mentor ? `mentorship session with ${mentor}` : 'mentorship session';
  return {
    subject: `Your ${session} is confirmed`,
    greeting: `Hi ${data.text('fullName')},`,
    paragraphs: [`Your ${session} is confirmed. See you there!`],
    details: [
      ['Starts', starts],
      ...detail('Ends', ends),
      ...detail('Tokens', data.optionalNumber('priceTokens')),
      ...detail('Booking', data.optionalText('slotId')),
    ],
  };
}
