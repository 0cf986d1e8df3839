import type { ImportPhase } from '../import-phase.js';
import { applicationsPhase } from './applications-phase.js';
import { batchesPhase } from './batches-phase.js';
import { collegesPhase } from './colleges-phase.js';
import { coursesPhase } from './courses-phase.js';
import { discountRequestsPhase } from './discount-requests-phase.js';
import { papWorkflowsPhase } from './pap-workflows-phase.js';

/** The LMS phases, in the order they depend on each other (after users, slots and money). */
export const learningPhases: ImportPhase[] = [
  collegesPhase,
  coursesPhase,
  batchesPhase,
  applicationsPhase,
  discountRequestsPhase,
  papWorkflowsPhase,
];
