import { type RealtimeEvent, userRoom } from '@mas/persistence';

/** `lead.assigned` to the new owner; `assignedBy` is null when a workflow assigned the lead. */
export function leadAssignedEvent(
  lead: { id: string; fullName: string },
  ownerId: string,
  assignedBy: string | null,
): RealtimeEvent {
  return {
    type: 'lead.assigned',
    data: { leadId: lead.id, fullName: lead.fullName, assignedBy },
    rooms: [userRoom(ownerId)],
  };
}
