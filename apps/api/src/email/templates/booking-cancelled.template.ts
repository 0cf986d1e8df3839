import { detail, type EmailBody } from './email-layout.js';
import { type TemplateData } from './template-data.js';

export function bookingCancelled(data: TemplateData): EmailBody {
  const mentor = data.optionalText('mentorName');
  const refunded = data.optionalNumber('refundedTokens');
  const session = mentor ? `mentorship session with ${mentor}` : 'mentorship session';
  return {
    subject: `Your ${session} was cancelled`,
    greeting: `Hi ${data.text('fullName')},`,
    paragraphs: [
      `Your ${session} has been cancelled.`,
      ...(refunded !== undefined ? [`${refunded} tokens have been returned to your wallet.`] : []),
    ],
    details: [
      ['Was scheduled for', data.when('startsAt')],
      ...detail('Reason', data.optionalText('reason')),
      ...detail('Booking', data.optionalText('slotId')),
    ],
  };
}
