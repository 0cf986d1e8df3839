import { type ImportStep, phasesOf } from './import-phase.js';
import { crmPhases } from './crm/index.js';
import { learningPhases } from './learning/index.js';
import { mentorshipPhases } from './mentorship/index.js';
import { moneyPhases } from './money/index.js';
import { userPhases } from './users/index.js';

/**
 * Every phase of `legacy:import`, in the order they must run: users (and user_map) first, since
 * every other phase maps user ids through it; then mentors → slots → money (the ledger points at
 * slots; its parts run at the same time, see MONEY_PARTS) → colleges → courses → batches → applications → discount requests → PAP workflows → leads.
 */
export const IMPORT_PHASES: readonly ImportStep[] = [
  ...userPhases,
  ...mentorshipPhases,
  ...moneyPhases,
  ...learningPhases,
  ...crmPhases,
];

/** The most phases one step runs at once: how many connections to the target an import uses. */
export const IMPORT_LANES = Math.max(...IMPORT_PHASES.map((step) => phasesOf(step).length));
