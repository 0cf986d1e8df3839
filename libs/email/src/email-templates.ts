/**
 * The emails the platform sends: each template's name (the `template` of an outbox email) and the
 * `data` it renders. Producers in any lib name templates from here; rendering lives with the email
 * worker (apps/api/src/email), which has one renderer per name. Dates are ISO-8601 strings, shown
 * in UTC.
 */
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

export type BookingConfirmationData = {
  /** The recipient's name (every template greets with it). */
  fullName: string;
  startsAt: string;
  endsAt?: string;
  slotId?: string;
  mentorName?: string;
  priceTokens?: number;
};

export type BookingCancelledData = {
  fullName: string;
  startsAt: string;
  endsAt?: string;
  slotId?: string;
  mentorName?: string;
  reason?: string;
  refundedTokens?: number;
};

export type ApplicationReceivedData = {
  fullName: string;
  applicationId: string;
  batchName?: string;
  courseTitle?: string;
};

export type ApplicationUnderReviewData = {
  fullName: string;
  applicationId: string;
  batchName?: string;
  /** The sales owner the applicant will hear from. */
  ownerName?: string;
};

/** To the sales owner (`fullName`) of an application nobody reviewed in time. */
export type ApplicationReviewReminderData = {
  fullName: string;
  applicantName: string;
  applicationId: string;
};

export type PapOnboardingData = {
  fullName: string;
  applicationId: string;
  courseTitle?: string;
};

export type PapAgreementReminderData = {
  fullName: string;
  applicationId: string;
};

/** The `data` each template renders. */
export interface EmailTemplateData {
  [EmailTemplate.BookingConfirmation]: BookingConfirmationData;
  [EmailTemplate.BookingCancelled]: BookingCancelledData;
  [EmailTemplate.ApplicationReceived]: ApplicationReceivedData;
  [EmailTemplate.ApplicationUnderReview]: ApplicationUnderReviewData;
  [EmailTemplate.ApplicationReviewReminder]: ApplicationReviewReminderData;
  [EmailTemplate.PapOnboarding]: PapOnboardingData;
  [EmailTemplate.PapAgreementReminder]: PapAgreementReminderData;
}
