export * from './entities/meeting-status.enum.js';
export * from './entities/slot.entity.js';
export * from './entities/mentor-profile.entity.js';
export * from './slots/slot-lifecycle.js';
export * from './slots/booking.service.js';
export * from './slots/slot-notifications.js';
export * from './slots/slots.service.js';
export * from './mentorship.module.js';

import { MentorProfile } from './entities/mentor-profile.entity.js';
import { Slot } from './entities/slot.entity.js';

/** Entities this lib owns, for the composition root's DataSource. */
export const MENTORSHIP_ENTITIES = [MentorProfile, Slot];
