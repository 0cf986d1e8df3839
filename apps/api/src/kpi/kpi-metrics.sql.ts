/**
 * Every KPI in one statement, so all figures come from the same snapshot of the database.
 * Enum-keyed counts list every enum value (zero included) so dashboards see a stable shape.
 * "Today" is the current UTC day; ratios are rounded to 4 decimals and 0 when nothing to divide.
 */
export const KPI_METRICS_SQL = `
  WITH bookings AS (
    SELECT created_at, -delta AS tokens FROM token_usages WHERE usage_type = 'meeting_booking'),
  day AS (SELECT date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS start),
  funnel AS (
    SELECT (SELECT count(*) FROM mas_crm.leads)::int AS leads,
           (SELECT count(*) FROM mas_crm.leads WHERE application_id IS NOT NULL)::int AS leads_with_application,
           (SELECT count(*) FROM applications)::int AS applications,
           (SELECT count(*) FROM applications WHERE status = 'enrolled')::int AS enrolled)
  SELECT jsonb_build_object(
    'usersByRole', (
      SELECT jsonb_object_agg(role, coalesce(n, 0))
        FROM unnest(enum_range(NULL::user_role)) AS r(role)
        LEFT JOIN (SELECT role, count(*)::int AS n FROM users GROUP BY role) c USING (role)),
    'bookings', jsonb_build_object(
      'today', (SELECT count(*) FROM bookings, day WHERE created_at >= day.start)::int,
      'last7Days', (SELECT count(*) FROM bookings WHERE created_at >= now() - interval '7 days')::int),
    'tokensSpent', jsonb_build_object(
      'today', (SELECT coalesce(sum(tokens), 0) FROM bookings, day WHERE created_at >= day.start)::bigint,
      'last7Days', (SELECT coalesce(sum(tokens), 0) FROM bookings
                     WHERE created_at >= now() - interval '7 days')::bigint),
    'leadsByStatus', (
      SELECT jsonb_object_agg(status, coalesce(n, 0))
        FROM unnest(enum_range(NULL::mas_crm.lead_status)) AS s(status)
        LEFT JOIN (SELECT status, count(*)::int AS n FROM mas_crm.leads GROUP BY status) c USING (status)),
    'applicationsByStatus', (
      SELECT jsonb_object_agg(status, coalesce(n, 0))
        FROM unnest(enum_range(NULL::application_status)) AS s(status)
        LEFT JOIN (SELECT status, count(*)::int AS n FROM applications GROUP BY status) c USING (status)),
    'conversion', (
      SELECT jsonb_build_object(
        'leads', leads,
        'leadsWithApplication', leads_with_application,
        'applications', applications,
        'enrolled', enrolled,
        'leadToApplication', CASE WHEN leads = 0 THEN 0
                                  ELSE round(leads_with_application::numeric / leads, 4)::float8 END,
        'applicationToEnrolled', CASE WHEN applications = 0 THEN 0
                                      ELSE round(enrolled::numeric / applications, 4)::float8 END)
        FROM funnel)
  ) AS metrics`;

export interface KpiMetrics {
  usersByRole: Record<string, number>;
  bookings: { today: number; last7Days: number };
  tokensSpent: { today: number; last7Days: number };
  leadsByStatus: Record<string, number>;
  applicationsByStatus: Record<string, number>;
  conversion: {
    leads: number;
    leadsWithApplication: number;
    applications: number;
    enrolled: number;
    leadToApplication: number;
    applicationToEnrolled: number;
  };
}
