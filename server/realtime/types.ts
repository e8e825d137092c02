import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@/domain/realtime-contract';
import type { Role } from '@/domain/roles';

export interface SocketPrincipal {
  /** A user's id, or `gateway:<name>` for a telematics gateway. */
  userId: string;
  role: Role | 'gateway';
  /** The user's auth session; empty for gateways, which have none. */
  sessionId: string;
  /** When the socket token expires, epoch ms; the server disconnects then. */
  expiresAt: number;
}

export interface SocketData {
  principal: SocketPrincipal;
  /** Per-event counters of the current rate window (socket-rate-limit.ts), created on first use. */
  rate?: Record<string, { windowStart: number; count: number }>;
}

export type RealtimeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
export type RealtimeSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
