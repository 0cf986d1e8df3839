import { MrLearnEnrollment, MrLearnLearner, MrLearnSyncState } from './entities/mrlearn.entities.js';
import { MrTestAssessment, MrTestAttempt, MrTestSyncState } from './entities/mrtest.entities.js';

export * from './entities/mrlearn.entities.js';
export * from './entities/mrtest.entities.js';

/** Entities this lib owns, for the composition root's DataSource. */
export const EXTERNAL_SYNC_ENTITIES = [
  MrLearnLearner,
  MrLearnEnrollment,
  MrLearnSyncState,
  MrTestAssessment,
  MrTestAttempt,
  MrTestSyncState,
];
