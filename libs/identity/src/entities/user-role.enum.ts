export enum UserRole {
  Admin = 'admin',
  Expert = 'expert',
  Student = 'student',
  Sales = 'sales',
  SalesHead = 'sales_head',
}

/** Where a user is in their journey with the business. */
export enum UserStage {
  Registered = 'registered',
  Onboarding = 'onboarding',
  Active = 'active',
  Alumni = 'alumni',
}
