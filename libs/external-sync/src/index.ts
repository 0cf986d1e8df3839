import {
  MrLearnEnrollment,
  MrLearnLearner,
  MrLearnSyncState,
} from './entities/mrlearn.entities.js';
import { MrTestAssessment, MrTestAttempt, MrTestSyncState } from './entities/mrtest.entities.js';

export * from './entities/mrlearn.entities.js';
export * from './entities/mrtest.entities.js';
export * from './config/external-sync-config.js';
export * from './config/external-sync-config.token.js';
export * from './source/source-name.js';
export * from './source/resource-definitions.js';
export * from './run/sync-run-result.js';
export * from './run/source-sync.js';
export * from './run/page-writer.js';
export * from './source/source-item.js';
export * from './state/sync-state-view.js';
export * from './admin/sync-requests.js';
export * from './external-sync.module.js';
export * from './external-sync-http.module.js';

/** Entities this lib owns, for the composition root's DataSource. */
export const EXTERNAL_SYNC_ENTITIES = [
  MrLearnLearner,
  MrLearnEnrollment,
  MrLearnSyncState,
  MrTestAssessment,
  MrTestAttempt,
  MrTestSyncState,
];
