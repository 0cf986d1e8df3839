import { Module } from '@nestjs/common';
import { AllotmentsService } from './allotments/allotments.service.js';
import { FinanceController } from './finance.controller.js';
import { LedgerService } from './ledger/ledger.service.js';
import { CreateWalletOnUserInsert } from './subscribers/create-wallet-on-user-insert.subscriber.js';
import { WalletsService } from './wallets/wallets.service.js';

/** Token wallets, the append-only ledger and allotment approvals. */
@Module({
  controllers: [FinanceController],
  providers: [LedgerService, WalletsService, AllotmentsService, CreateWalletOnUserInsert],
  exports: [LedgerService, WalletsService],
})
export class FinanceModule {}
