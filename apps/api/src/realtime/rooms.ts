/** The Socket.IO rooms every authenticated connection joins; outbox audiences name them. */
export const userRoom = (userId: string): string => `user:${userId}`;
export const roleRoom = (role: string): string => `role:${role}`;
