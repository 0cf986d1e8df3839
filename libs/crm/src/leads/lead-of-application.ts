/**
 * SQL condition: the lead `leadAlias` is the lead of the application `applicationId` (an SQL
 * expression of type uuid) — linked to it, or else the lead of its student (one lead per user).
 * Shared by the workflow actions that find an application's lead and by the application scope.
 */
export function leadOfApplication(leadAlias: string, applicationId: string): string {
  return `(${leadAlias}.application_id = ${applicationId}
    OR ${leadAlias}.user_id = (SELECT app.user_id FROM applications app WHERE app.id = ${applicationId}))`;
}
