/** Template names: the `template` of `OutboxService.email(tx, { template, to, data })`. */
export const EmailTemplate = {
  BookingConfirmation: 'booking_confirmation',
  BookingCancelled: 'booking_cancelled',
  ApplicationReceived: 'application_received',
  ApplicationUnderReview: 'application_under_review',
  ApplicationReviewReminder: 'application_review_reminder',
  PapOnboarding: 'pap_onboarding',
  PapAgreementReminder: 'pap_agreement_reminder',
} as const;

export type EmailTemplateName = (typeof EmailTemplate)[keyof typeof EmailTemplate];

export const EmailTemplates: readonly EmailTemplateName[] = Object.values(EmailTemplate);

/** `data` of booking_confirmation. Dates are ISO-8601 strings, shown in UTC. */
export interface BookingConfirmationData {
  /** The recipient's name. */
  fullName: string;
  startsAt: string;
  endsAt?: string;
  slotId?: string;
  mentorName?: string;
  priceTokens?: number;
}

/** `data` of booking_cancelled. */
export interface BookingCancelledData {
  fullName: string;
  startsAt: string;
  endsAt?: string;
  slotId?: string;
  mentorName?: string;
  reason?: string;
  refundedTokens?: number;
}

/** `data` of application_received. */
export interface ApplicationReceivedData {
  fullName: string;
  applicationId: string;
  batchName?: string;
  courseTitle?: string;
}
