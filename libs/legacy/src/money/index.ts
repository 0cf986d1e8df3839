import { moneySteps } from './money-phase.js';

export const moneyPhases = [moneySteps];
export { formatMoneyParity, moneyParity, type MoneyParity } from './money-parity.js';
export { countImportedBalanceRows } from './imported-balances.js';
