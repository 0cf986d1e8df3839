export enum MeetingStatus {
  Tentative = 'tentative',
  MeetingRequested = 'meeting_requested',
  UnderReview = 'under_review',
  Confirmed = 'confirmed',
  CancellationRequested = 'cancellation_requested',
  Cancelled = 'cancelled',
  Completed = 'completed',
}
