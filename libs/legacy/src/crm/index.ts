import type { ImportPhase } from '../import-phase.js';
import { leadsPhase } from './leads-phase.js';

/** The CRM phases (after the LMS ones). */
export const crmPhases: ImportPhase[] = [leadsPhase];
