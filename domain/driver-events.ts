import { z } from 'zod';
import { availabilityActors, availabilityEvents, availabilityStates } from './driver-availability';
import { latLngSchema } from './geo';

/**
 * Kafka message contracts for the driver topics. One schema per message; types are inferred.
 * `driver.location` records are produced only by our own ingest after validation, so consumers
 * on the hot path trust their shape (see docs/decisions/0002-kafka-topics-and-keys.md).
 */
export const locationRecordSchema = z.object({
  driverId: z.uuid(),
  sessionId: z.uuid(),
  seq: z.int(),
  at: z.int(),
  ...latLngSchema.shape,
  accuracyM: z.number().optional(),
  speedMps: z.number().optional(),
  headingDeg: z.number().optional(),
  /** Server clock when the realtime instance accepted the ping. */
  receivedAt: z.int(),
  state: z.enum(availabilityStates),
  vehicleTypeId: z.string(),
});
export type LocationRecord = z.infer<typeof locationRecordSchema>;

export const driverStateEventSchema = z.object({
  type: z.literal('driver.state'),
  driverId: z.uuid(),
  state: z.enum(availabilityStates),
  previous: z.enum(availabilityStates),
  event: z.enum(availabilityEvents),
  actor: z.enum(availabilityActors),
  reason: z.string().max(200).optional(),
  vehicleTypeId: z.string().nullable(),
  vehicleId: z.uuid().nullable(),
  sessionId: z.uuid().nullable(),
  /** Set when this change ended a duty session: positions of that session arriving later are stale. */
  endedSessionId: z.uuid().optional(),
  /** The driver's availability version after this change; readers drop anything not newer. */
  version: z.int().min(1),
  at: z.int(),
});
export type DriverStateEvent = z.infer<typeof driverStateEventSchema>;
