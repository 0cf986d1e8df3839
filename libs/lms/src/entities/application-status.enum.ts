export enum ApplicationStatus {
  Submitted = 'submitted',
  UnderReview = 'under_review',
  Accepted = 'accepted',
  Rejected = 'rejected',
  Enrolled = 'enrolled',
  Withdrawn = 'withdrawn',
}

export enum PapStatus {
  Initiated = 'initiated',
  AgreementSigned = 'agreement_signed',
  InTraining = 'in_training',
  PlacementSearch = 'placement_search',
  Placed = 'placed',
  Repaying = 'repaying',
  Completed = 'completed',
  Cancelled = 'cancelled',
}
