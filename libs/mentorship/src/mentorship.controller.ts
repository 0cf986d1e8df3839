import { Body, Controller, Get, HttpCode, HttpStatus, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, Roles, User, UserRole } from '@mas/identity';
import { ApiErrors, ApiPage, type ErrorStatus, PageQueryDto, UuidParam } from '@mas/http';
import { mapPage, type Page } from '@mas/persistence';
import {
  ListMentorsQuery,
  MentorPageResponse,
  MentorProfileResponse,
  UpsertMentorProfileDto,
} from './dto/mentor.dto.js';
import { CreateSlotDto, ListSlotsQuery, SlotPageResponse, SlotResponse } from './dto/slot.dto.js';
import { Slot } from './entities/slot.entity.js';
import { MentorsService } from './mentors/mentors.service.js';
import { BookingService } from './slots/booking.service.js';
import { SlotsService } from './slots/slots.service.js';

const page = (result: Page<Slot>, viewer: User): SlotPageResponse =>
  mapPage(result, (slot) => SlotResponse.of(slot, viewer));

/** What every booking-lifecycle step on one slot can fail with. */
const SLOT_TRANSITION_ERRORS: (ErrorStatus | [ErrorStatus, string])[] = [
  400,
  [403, 'you are not the party this step is for'],
  404,
  [409, 'the slot is not in a state that allows this step'],
  [422, 'not enough tokens'],
];

@ApiTags('mentorship')
@Authenticated()
@Controller('mentorship')
export class MentorshipController {
  constructor(
    private readonly mentors: MentorsService,
    private readonly slots: SlotsService,
    private readonly booking: BookingService,
  ) {}

  @Put('mentors/me')
  @Roles(UserRole.Expert)
  @ApiOperation({ summary: "Create or replace the caller's mentor profile (expert)" })
  @ApiOkResponse({ type: MentorProfileResponse })
  @ApiErrors(400)
  async upsertProfile(
    @CurrentUser() user: User,
    @Body() body: UpsertMentorProfileDto,
  ): Promise<MentorProfileResponse> {
    return MentorProfileResponse.of(await this.mentors.upsert(user.id, body));
  }

  @Get('mentors')
  @ApiOperation({ summary: 'Mentor profiles, newest first; q filters by headline prefix' })
  @ApiPage(MentorProfileResponse)
  @ApiErrors(400)
  async listMentors(
    @CurrentUser() reader: User,
    @Query() query: ListMentorsQuery,
  ): Promise<MentorPageResponse> {
    const result = await this.mentors.list(query, reader.id);
    return mapPage(result, (profile) => MentorProfileResponse.of(profile));
  }

  @Post('slots')
  @Roles(UserRole.Expert, UserRole.Admin)
  @ApiOperation({
    summary: 'Create a tentative slot; overlapping an active slot of the mentor is a 409',
  })
  @ApiCreatedResponse({ type: SlotResponse })
  @ApiErrors(
    400,
    [403, 'experts create slots for themselves'],
    [409, 'in the past, or overlaps another slot of the mentor'],
    [422, 'mentorId is missing or not an expert'],
  )
  async createSlot(@CurrentUser() user: User, @Body() body: CreateSlotDto): Promise<SlotResponse> {
    return SlotResponse.of(await this.slots.create(body, user), user);
  }

  @Get('slots')
  @ApiOperation({ summary: 'Slots by start time; filters: mentorId, status, from, to, available' })
  @ApiPage(SlotResponse)
  @ApiErrors(400)
  async listSlots(
    @CurrentUser() user: User,
    @Query() query: ListSlotsQuery,
  ): Promise<SlotPageResponse> {
    return page(await this.slots.list(query, user), user);
  }

  @Get('slots/:id')
  @ApiOperation({ summary: 'One slot' })
  @ApiOkResponse({ type: SlotResponse })
  @ApiErrors(400, 404)
  async getSlot(@CurrentUser() user: User, @UuidParam('id') id: string): Promise<SlotResponse> {
    return SlotResponse.of(await this.slots.get(id), user);
  }

  @Get('bookings')
  @ApiOperation({ summary: "The caller's meetings, as student or mentor" })
  @ApiPage(SlotResponse)
  @ApiErrors(400)
  async bookings(
    @CurrentUser() user: User,
    @Query() query: PageQueryDto,
  ): Promise<SlotPageResponse> {
    return page(await this.slots.bookingsOf(user, query), user);
  }

  @Post('slots/:id/book')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Book (student): confirmed at once, tokens debited; 409 taken or past, 422 short of tokens',
  })
  @ApiOkResponse({ type: SlotResponse })
  @ApiErrors(...SLOT_TRANSITION_ERRORS)
  async book(@CurrentUser() user: User, @UuidParam('id') id: string): Promise<SlotResponse> {
    return SlotResponse.of(await this.booking.book(id, user), user);
  }

  @Post('slots/:id/request')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Request a meeting (student): tokens held until approved or rejected' })
  @ApiOkResponse({ type: SlotResponse })
  @ApiErrors(...SLOT_TRANSITION_ERRORS)
  async request(@CurrentUser() user: User, @UuidParam('id') id: string): Promise<SlotResponse> {
    return SlotResponse.of(await this.booking.request(id, user), user);
  }

  @Post('slots/:id/review')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Mark a request under review (its mentor or an admin)' })
  @ApiOkResponse({ type: SlotResponse })
  @ApiErrors(...SLOT_TRANSITION_ERRORS)
  async review(@CurrentUser() user: User, @UuidParam('id') id: string): Promise<SlotResponse> {
    return SlotResponse.of(await this.booking.review(id, user), user);
  }

  @Post('slots/:id/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve a request under review (its mentor or an admin)' })
  @ApiOkResponse({ type: SlotResponse })
  @ApiErrors(...SLOT_TRANSITION_ERRORS)
  async approve(@CurrentUser() user: User, @UuidParam('id') id: string): Promise<SlotResponse> {
    return SlotResponse.of(await this.booking.approve(id, user), user);
  }

  @Post('slots/:id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reject a request: back to tentative, tokens refunded' })
  @ApiOkResponse({ type: SlotResponse })
  @ApiErrors(...SLOT_TRANSITION_ERRORS)
  async reject(@CurrentUser() user: User, @UuidParam('id') id: string): Promise<SlotResponse> {
    return SlotResponse.of(await this.booking.reject(id, user), user);
  }

  @Post('slots/:id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Ask to cancel a confirmed meeting (its student or mentor)' })
  @ApiOkResponse({ type: SlotResponse })
  @ApiErrors(...SLOT_TRANSITION_ERRORS)
  async cancel(@CurrentUser() user: User, @UuidParam('id') id: string): Promise<SlotResponse> {
    return SlotResponse.of(await this.booking.cancel(id, user), user);
  }

  @Post('slots/:id/cancel/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Approve the cancellation (the other party or an admin): one refund row',
  })
  @ApiOkResponse({ type: SlotResponse })
  @ApiErrors(...SLOT_TRANSITION_ERRORS)
  async approveCancellation(
    @CurrentUser() user: User,
    @UuidParam('id') id: string,
  ): Promise<SlotResponse> {
    return SlotResponse.of(await this.booking.approveCancellation(id, user), user);
  }

  @Post('slots/:id/complete')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Complete after the start (its mentor or an admin): the mentor is credited once',
  })
  @ApiOkResponse({ type: SlotResponse })
  @ApiErrors(...SLOT_TRANSITION_ERRORS)
  async complete(@CurrentUser() user: User, @UuidParam('id') id: string): Promise<SlotResponse> {
    return SlotResponse.of(await this.booking.complete(id, user), user);
  }
}
