import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  HttpStatus,
  Post,
  Query,
} from '@nestjs/common';
import { ApiErrors, ApiPage, UuidParam } from '@mas/http';
import { mapPage } from '@mas/persistence';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, Roles, User, UserRole } from '@mas/identity';
import { AllotmentsService } from './allotments/allotments.service.js';
import {
  AllotmentPageResponse,
  AllotmentQuery,
  AllotmentResponse,
  CreateAllotmentDto,
  LedgerEntryResponse,
  LedgerPageResponse,
  LedgerQuery,
  RejectDto,
  WalletResponse,
} from './dto/finance.dto.js';
import { WalletsService } from './wallets/wallets.service.js';

@ApiTags('finance')
@Authenticated()
@Controller('finance')
export class FinanceController {
  constructor(
    private readonly wallets: WalletsService,
    private readonly allotments: AllotmentsService,
  ) {}

  @Get('wallet')
  @ApiOperation({ summary: "The caller's token balance" })
  @ApiOkResponse({ type: WalletResponse })
  async wallet(@CurrentUser() user: User): Promise<WalletResponse> {
    return WalletResponse.of(await this.wallets.getWallet(user.id));
  }

  @Get('wallets/:userId')
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: "Any user's token balance (admin)" })
  @ApiOkResponse({ type: WalletResponse })
  @ApiErrors(400, 404)
  async walletOf(@UuidParam('userId') userId: string): Promise<WalletResponse> {
    return WalletResponse.of(await this.wallets.getWallet(userId));
  }

  @Get('ledger')
  @ApiOperation({ summary: 'Ledger rows, newest first: your own, or any user for admins' })
  @ApiPage(LedgerEntryResponse)
  @ApiErrors(400, [403, "only admins may read another user's ledger"])
  async ledger(
    @CurrentUser() user: User,
    @Query() query: LedgerQuery,
  ): Promise<LedgerPageResponse> {
    const userId = query.userId ?? user.id;
    if (userId !== user.id && user.role !== UserRole.Admin)
      throw new ForbiddenException("only admins may read another user's ledger");
    const page = await this.wallets.listLedger(userId, query);
    return mapPage(page, (entry) => LedgerEntryResponse.of(entry));
  }

  @Post('allotments')
  @Roles(UserRole.Admin, UserRole.SalesHead)
  @ApiOperation({
    summary: 'Ask for tokens to be credited to a user (pending until an admin approves)',
  })
  @ApiCreatedResponse({ type: AllotmentResponse })
  @ApiErrors(400, 422)
  async requestAllotment(
    @CurrentUser() user: User,
    @Body() body: CreateAllotmentDto,
  ): Promise<AllotmentResponse> {
    return AllotmentResponse.of(await this.allotments.request(body, user.id));
  }

  @Get('allotments')
  @Roles(UserRole.Admin, UserRole.SalesHead)
  @ApiOperation({ summary: 'Allotment requests, newest first' })
  @ApiPage(AllotmentResponse)
  @ApiErrors(400)
  async listAllotments(@Query() query: AllotmentQuery): Promise<AllotmentPageResponse> {
    const page = await this.allotments.list(query.status, query);
    return mapPage(page, (request) => AllotmentResponse.of(request));
  }

  @Post('allotments/:id/approve')
  @HttpCode(HttpStatus.OK)
  @Roles(UserRole.Admin)
  @ApiOperation({
    summary:
      'Approve: credits the wallet once and writes one ledger row; a second approval is a 409',
  })
  @ApiOkResponse({ type: AllotmentResponse })
  @ApiErrors(400, 404, [409, 'the request is no longer pending'])
  async approveAllotment(
    @CurrentUser() admin: User,
    @UuidParam('id') id: string,
  ): Promise<AllotmentResponse> {
    return AllotmentResponse.of(await this.allotments.approve(id, admin.id));
  }

  @Post('allotments/:id/reject')
  @HttpCode(HttpStatus.OK)
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Reject a pending request' })
  @ApiOkResponse({ type: AllotmentResponse })
  @ApiErrors(400, 404, [409, 'the request is no longer pending'])
  async rejectAllotment(
    @CurrentUser() admin: User,
    @UuidParam('id') id: string,
    @Body() body: RejectDto,
  ): Promise<AllotmentResponse> {
    return AllotmentResponse.of(await this.allotments.reject(id, admin.id, body.note));
  }
}
