import { Injectable, Logger } from '@nestjs/common';
import { MeetingStatus } from '../entities/meeting-status.enum.js';

export type SlotEventType = 'slot.booked' | 'slot.requested' | 'slot.cancelled' | 'slot.completed';

export interface SlotEvent {
  type: SlotEventType;
  slotId: string;
  mentorId: string;
  studentId: string | null;
  status: MeetingStatus;
}

/**
 * The one place slot changes leave the service, called only after the transaction has committed.
 * For now it logs; the transactional outbox (workers issue) takes over delivery to sockets and jobs.
 */
@Injectable()
export class SlotEvents {
  private readonly logger = new Logger('SlotEvents');

  afterCommit(event: SlotEvent): void {
    this.logger.debug(event, event.type);
  }
}
