import type { INestApplication } from '@nestjs/common';
import { TokenService, UserRole } from '@mas/identity';
import type pg from 'pg';
import { io, type Socket } from 'socket.io-client';

/** A Socket.IO client of `/events` signed in as the seeded admin (room `role:admin`), connected. */
export async function connectAdminSocket(
  app: INestApplication,
  baseUrl: string,
  pool: pg.Pool,
): Promise<Socket> {
  const [admin] = (
    await pool.query<{ id: string }>(`SELECT id FROM users WHERE role = 'admin' LIMIT 1`)
  ).rows;
  const token = await app
    .get(TokenService)
    .issue({ id: admin.id, role: UserRole.Admin, tokenVersion: 0 });
  const socket = io(`${baseUrl}/events`, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: { token },
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}
