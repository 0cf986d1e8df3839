import { CRM_ENTITIES } from '@mas/crm';
import { EXTERNAL_SYNC_ENTITIES } from '@mas/external-sync';
import { FINANCE_ENTITIES } from '@mas/finance';
import { IDENTITY_ENTITIES } from '@mas/identity';
import { LMS_ENTITIES } from '@mas/lms';
import { MENTORSHIP_ENTITIES } from '@mas/mentorship';
import { PERSISTENCE_ENTITIES } from '@mas/persistence';
import { WORKFLOW_ENTITIES } from '@mas/workflow';
import { BackupRun } from '../backup/backup-run.entity.js';
import { EmailDelivery } from '../email/email-delivery.entity.js';
import { KpiSnapshot } from '../kpi/kpi-snapshot.entity.js';

/** Every entity of every lib: the composition root is the one place that knows them all. */
export const ALL_ENTITIES = [
  ...PERSISTENCE_ENTITIES,
  ...IDENTITY_ENTITIES,
  ...FINANCE_ENTITIES,
  ...MENTORSHIP_ENTITIES,
  ...LMS_ENTITIES,
  ...CRM_ENTITIES,
  ...WORKFLOW_ENTITIES,
  ...EXTERNAL_SYNC_ENTITIES,
  KpiSnapshot,
  EmailDelivery,
  BackupRun,
];
