import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiErrors, ApiPage, UuidParam } from '@mas/http';
import { mapPage } from '@mas/persistence';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, Roles, User, UserRole } from '@mas/identity';
import {
  ApproveDiscountDto,
  CreateDiscountRequestDto,
  DiscountPageResponse,
  DiscountQuery,
  DiscountResponse,
  RejectDiscountDto,
} from '../dto/discount.dto.js';
import { DiscountsService } from './discounts.service.js';

@ApiTags('finance')
@Authenticated()
@Controller('finance/discount-requests')
export class DiscountsController {
  constructor(private readonly discounts: DiscountsService) {}

  @Post()
  @Roles(UserRole.Sales, UserRole.SalesHead)
  @ApiOperation({
    summary:
      'Ask for a lower price on an application in your scope (422 like an unknown one otherwise); one pending request per application',
  })
  @ApiCreatedResponse({ type: DiscountResponse })
  @ApiErrors(
    400,
    [409, 'the application already has a pending request'],
    [422, 'not a known application (or outside your scope)'],
  )
  async request(
    @CurrentUser() user: User,
    @Body() body: CreateDiscountRequestDto,
  ): Promise<DiscountResponse> {
    return DiscountResponse.of(await this.discounts.request(body, user));
  }

  @Get()
  @Roles(UserRole.Admin, UserRole.Sales, UserRole.SalesHead)
  @ApiOperation({
    summary: 'Discount requests, newest first; sales see those on applications in their scope',
  })
  @ApiPage(DiscountResponse)
  @ApiErrors(400)
  async list(
    @CurrentUser() user: User,
    @Query() query: DiscountQuery,
  ): Promise<DiscountPageResponse> {
    const page = await this.discounts.list(query.status, query, user);
    return mapPage(page, (request) => DiscountResponse.of(request));
  }

  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: "Approve: sets the application's finalAmount in the same transaction" })
  @ApiOkResponse({ type: DiscountResponse })
  @ApiErrors(400, 404, [409, 'the request is no longer pending'])
  async approve(
    @CurrentUser() admin: User,
    @UuidParam('id') id: string,
    @Body() body: ApproveDiscountDto,
  ): Promise<DiscountResponse> {
    return DiscountResponse.of(await this.discounts.approve(id, body.approvedPrice, admin.id));
  }

  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Reject a pending request' })
  @ApiOkResponse({ type: DiscountResponse })
  @ApiErrors(400, 404, [409, 'the request is no longer pending'])
  async reject(
    @CurrentUser() admin: User,
    @UuidParam('id') id: string,
    @Body() body: RejectDiscountDto,
  ): Promise<DiscountResponse> {
    return DiscountResponse.of(await this.discounts.reject(id, body.note, admin.id));
  }
}
