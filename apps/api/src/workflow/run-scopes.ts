import { Injectable } from '@nestjs/common';
import { User, UserRole } from '@mas/identity';
import { ApplicationScope } from '@mas/lms';
import { type RunScope } from '@mas/workflow';

/**
 * The run's subject as an application id (uuid), or null when the run is about something else.
 * subject_id is free text, so it is cast only when it is an application's uuid; CASE keeps
 * Postgres from casting any other subject.
 */
const APPLICATION_OF_RUN = `(CASE WHEN run.subject_type = 'application'
  AND run.subject_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
  THEN CAST(run.subject_id AS uuid) END)`;

/**
 * Which workflow runs a user may read and signal: admins all; everyone else only runs about an
 * application in their ApplicationScope (for sales: whose CRM lead they may see).
 */
@Injectable()
export class RunScopes {
  constructor(private readonly applications: ApplicationScope) {}

  for(viewer: User): RunScope | undefined {
    if (viewer.role === UserRole.Admin) return undefined;
    return (runs) => this.applications.restrict(runs, APPLICATION_OF_RUN, viewer);
  }
}
