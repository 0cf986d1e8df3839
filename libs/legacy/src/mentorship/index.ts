import type { ImportPhase } from '../import-phase.js';
import { mentorsPhase } from './mentors-phase.js';
import { slotsPhase } from './slots-phase.js';

export { PLACEHOLDER_HEADLINE } from './mentors-phase.js';

/** Mentor profiles, then their slots (both after the users phases). */
export const mentorshipPhases: ImportPhase[] = [mentorsPhase, slotsPhase];
