import { Module } from '@nestjs/common';
import { FinanceModule } from '@mas/finance';
import { MentorsService } from './mentors/mentors.service.js';
import { MentorshipController } from './mentorship.controller.js';
import { BookingService } from './slots/booking.service.js';
import { SlotNotifications } from './slots/slot-notifications.js';
import { SlotsService } from './slots/slots.service.js';

/** Mentor profiles, slots, and booking through the token ledger. */
@Module({
  imports: [FinanceModule],
  controllers: [MentorshipController],
  providers: [MentorsService, SlotsService, BookingService, SlotNotifications],
  exports: [SlotsService, BookingService],
})
export class MentorshipModule {}
