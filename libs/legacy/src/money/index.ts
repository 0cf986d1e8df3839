import { moneyPhase } from './money-phase.js';

export const moneyPhases = [moneyPhase];
export { formatMoneyParity, moneyParity, type MoneyParity } from './money-parity.js';
export { countImportedBalanceRows } from './imported-balances.js';
