export * from './entities/token-wallet.entity.js';
export * from './entities/token-usage.entity.js';
export * from './entities/allotment-request.entity.js';
export * from './entities/discount-request.entity.js';
export * from './ledger/ledger.service.js';
export * from './ledger/wallet-change.js';
export * from './wallets/wallets.service.js';
export * from './discounts/discount-target.js';
export * from './finance.module.js';

import { AllotmentRequest } from './entities/allotment-request.entity.js';
import { DiscountRequest } from './entities/discount-request.entity.js';
import { TokenUsage } from './entities/token-usage.entity.js';
import { TokenWallet } from './entities/token-wallet.entity.js';

/** Entities this lib owns, for the composition root's DataSource. */
export const FINANCE_ENTITIES = [TokenWallet, TokenUsage, AllotmentRequest, DiscountRequest];
