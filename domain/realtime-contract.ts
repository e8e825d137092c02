import type { AvailabilityState } from './driver-availability';
import type { DropReason, LocationBatch } from './location';

/**
 * The typed Socket.IO contract, shared by the realtime server and the browser.
 * Names are `entity:action`: commands from clients, facts from the server.
 */

export interface AckError {
  code: string;
  message: string;
  field?: string;
}

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: AckError };

export interface LocationBatchResult {
  accepted: number;
  /** Highest sequence number the server now holds for this session. */
  lastSeq: number | null;
  dropped: { seq: number; reason: DropReason }[];
}

/** One driver as the live operations view shows it. */
export interface LiveDriver {
  driverId: string;
  lat: number;
  lng: number;
  state: AvailabilityState;
  vehicleTypeId: string;
  /** Server time of the last ping or state change, epoch ms. */
  lastSeenAt: number;
  headingDeg?: number;
}

export interface DriverStateChange {
  driverId: string;
  state: AvailabilityState;
  at: number;
}

export interface ClientToServerEvents {
  'location:batch': (batch: LocationBatch, ack: (result: Ack<LocationBatchResult>) => void) => void;
  'dispatch:watch': (request: Record<string, never>, ack: (result: Ack<{ room: string }>) => void) => void;
}

export interface ServerToClientEvents {
  /** Coalesced positions, at most one frame per fan-out interval. */
  'drivers:moved': (frame: { drivers: LiveDriver[]; sentAt: number }) => void;
  'driver:state': (change: DriverStateChange) => void;
  /** The server is about to close this connection (token expired, session revoked). */
  'session:ended': (info: { reason: string }) => void;
}

export const rooms = {
  operations: () => 'ops:all',
  driver: (driverId: string) => `driver:${driverId}`,
  user: (userId: string) => `user:${userId}`,
} as const;
