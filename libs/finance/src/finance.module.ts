import { Module } from '@nestjs/common';
import { AllotmentsService } from './allotments/allotments.service.js';
import { DiscountTargets } from './discounts/discount-target.js';
import { DiscountsController } from './discounts/discounts.controller.js';
import { DiscountsService } from './discounts/discounts.service.js';
import { FinanceController } from './finance.controller.js';
import { LedgerService } from './ledger/ledger.service.js';
import { CreateWalletOnUserInsert } from './subscribers/create-wallet-on-user-insert.subscriber.js';
import { WalletsService } from './wallets/wallets.service.js';

/** Token wallets, the append-only ledger, allotment and discount approvals. */
@Module({
  controllers: [FinanceController, DiscountsController],
  providers: [
    LedgerService,
    WalletsService,
    AllotmentsService,
    DiscountsService,
    DiscountTargets,
    CreateWalletOnUserInsert,
  ],
  exports: [LedgerService, WalletsService, DiscountTargets],
})
export class FinanceModule {}
