import type { ImportPhase } from '../import-phase.js';
import { salesHeadsPhase } from './sales-heads-phase.js';
import { usersPhase } from './users-phase.js';

export { PLACEHOLDER_FULL_NAME } from './users-phase.js';

/** Users first (they fill user_map), then the sales-head links that need every user. */
export const userPhases: ImportPhase[] = [usersPhase, salesHeadsPhase];
