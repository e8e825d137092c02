import type { z } from 'zod';
import type { BookingStatus } from './booking';
import type { AvailabilityState } from './driver-availability';
import type { ErrorCode } from './errors';
import type { DropReason, gatewayBatchSchema, LocationBatch } from './location';

/**
 * The typed Socket.IO contract, shared by the realtime server and the browser.
 * Names are `entity:action`: commands from clients, facts from the server.
 */

export interface AckError {
  code: ErrorCode;
  message: string;
  field?: string;
  /** With RATE_LIMITED: seconds until the socket may send this event again. */
  retryAfterS?: number;
  /** The same in milliseconds, where seconds are too coarse (positions refused while realtime is behind). */
  retryAfterMs?: number;
}

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: AckError };

export interface LocationBatchResult {
  accepted: number;
  /** Highest sequence number the server now holds for this session. */
  lastSeq: number | null;
  dropped: { seq: number; reason: DropReason }[];
  /**
   * Set when realtime is getting behind: send the next batch no sooner than this. Positions
   * meanwhile stay with the sender, which may replace a driver's unsent position by a newer one
   * (ADR 0019): backpressure is this answer, not a queue inside realtime.
   */
  sendAgainInMs?: number;
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
  /** The position's sequence number in its duty session and device time: lets clients measure freshness and gaps. */
  seq?: number;
  at?: number;
}

export interface DriverStateChange {
  driverId: string;
  state: AvailabilityState;
  at: number;
}

/** Viewport rooms use H3 res 6 (~36 km²): a city is tens of cells, a screen a handful. */
export const viewportResolution = 6;
/** A screen covers a handful of res-6 cells, a whole metro a few hundred; `ops:watch` refuses more. */
export const maxWatchedCells = 400;

/** A dispatcher's subscription: the `viewportResolution` cells on screen, at most `maxWatchedCells`. */
export interface WatchRequest {
  cells: string[];
}

export interface WatchSnapshot {
  /** Every online driver in the watched cells, from the instance's live fleet view. */
  drivers: LiveDriver[];
  serverTime: number;
}

/** One telematics gateway message: positions of several drivers, each in its own duty session. */
export type GatewayBatch = z.infer<typeof gatewayBatchSchema>;

export interface GatewayBatchResult {
  results: ({ driverId: string } & LocationBatchResult)[];
  /** As in LocationBatchResult, for the gateway's next message. */
  sendAgainInMs?: number;
}

/** A booking moved on (to the rider's and driver's booking room). Clients drop versions they have. */
export interface BookingUpdate {
  bookingId: string;
  version: number;
  status: BookingStatus;
  event: string;
  driverId: string | null;
  reason: string | null;
  at: number;
}

/** An offer ringing on a driver's phone. */
export interface OfferView {
  bookingId: string;
  expiresAt: number;
  pickup: { lat: number; lng: number; label: string | null };
  dropoff: { lat: number; lng: number; label: string | null };
  fareTotal: number;
  currency: string;
  vehicleTypeId: string;
  /** Straight-line distance from the driver's last position to the pickup. */
  pickupDistanceM: number | null;
}

/** The assigned driver's position, to the booking's room, only while the trip is under way. */
export interface DriverOnTrip {
  bookingId: string;
  lat: number;
  lng: number;
  headingDeg?: number;
  at: number;
}

export interface ClientToServerEvents {
  'location:batch': (batch: LocationBatch, ack: (result: Ack<LocationBatchResult>) => void) => void;
  'location:gateway-batch': (batch: GatewayBatch, ack: (result: Ack<GatewayBatchResult>) => void) => void;
  /** The same as `location:gateway-batch`, as a compact binary frame (domain/gateway-frame.ts). */
  'location:gateway-frame': (frame: Uint8Array, ack: (result: Ack<GatewayBatchResult>) => void) => void;
  /** Follow one booking (riders their own, drivers theirs, dispatchers any); then load it over tRPC. */
  'booking:watch': (request: { bookingId: string }, ack: (result: Ack<{ room: string }>) => void) => void;
  /** Replaces the set of watched cells; the answer carries their snapshot. */
  'ops:watch': (request: WatchRequest, ack: (result: Ack<WatchSnapshot>) => void) => void;
}

/** Drivers per H3 cell: [cell, available, busy, stale]. */
export interface DensityFrame {
  resolution: number;
  cells: [string, number, number, number][];
  at: number;
}

export interface ServerToClientEvents {
  /** Coalesced positions, at most one frame per fan-out interval. */
  'drivers:moved': (frame: { drivers: LiveDriver[]; sentAt: number }) => void;
  'driver:state': (change: DriverStateChange) => void;
  'ops:density': (frame: DensityFrame) => void;
  'booking:updated': (update: BookingUpdate) => void;
  'booking:driver-location': (position: DriverOnTrip) => void;
  /** A booking changed: dispatchers refresh their board. */
  'booking:board': (change: {
    bookingId: string;
    status: BookingStatus;
    version: number;
    at: number;
  }) => void;
  /** The driver acknowledges receipt; not answering in time counts as unreachable. */
  'offer:new': (offer: OfferView, ack: (result: { received: true }) => void) => void;
  'offer:withdrawn': (info: { bookingId: string; reason: string }) => void;
  /** The server is about to close this connection (token expired, session revoked). */
  'session:ended': (info: { reason: string }) => void;
}

export const rooms = {
  /** Every dispatcher: state changes and the density heatmap. */
  operations: () => 'ops:all',
  /** Dispatchers looking at one viewport cell: positions in it. */
  opsCell: (cell: string) => `ops:cell:${cell}`,
  driver: (driverId: string) => `driver:${driverId}`,
  user: (userId: string) => `user:${userId}`,
  booking: (bookingId: string) => `booking:${bookingId}`,
} as const;
