/**
 * The Socket.IO rooms every authenticated connection joins: the gateway joins them, and realtime
 * outbox entries name them as their audience.
 */
export const userRoom = (userId: string): string => `user:${userId}`;
export const roleRoom = (role: string): string => `role:${role}`;
