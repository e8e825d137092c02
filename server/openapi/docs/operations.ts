import { type DocsFor, invalid, notFound } from '../doc-model';
import { bookingForStaff, ids, minutes, pickup } from './examples';

/** The dispatcher's tools: who is where, the bookings board, audits and surge. */
export const operationsDocs: DocsFor<'operations'> = {
  'operations.driverDirectory': {
    summary: 'Names and plates for driver ids',
    description:
      'The live streams carry driver ids only; this resolves up to 500 of them to names, plates and ' +
      'vehicle types. Unknown ids are left out.',
    access: ['dispatcher', 'admin'],
    example: {
      input: { ids: [ids.driver] },
      output: [{ id: ids.driver, name: 'Ravi Kumar', plate: 'KA-01-AB-1234', vehicleTypeId: 'economy' }],
    },
    errors: [invalid('ids', 'empty, more than 500, or not UUIDs (e.g. `ids.0`)')],
  },
  'operations.nearestDrivers': {
    summary: 'Nearest available drivers',
    description:
      'The k nearest available drivers of the given vehicle types to a point, best first, with ' +
      'straight-line distance, an estimated road distance and a pickup ETA: what dispatch would offer. ' +
      'k ≤ 50, radius ≤ 10 km.',
    access: ['dispatcher', 'admin'],
    example: {
      input: { ...pickup, vehicleTypeIds: ['economy'], k: 5, maxRadiusM: 3000 },
      output: [
        {
          driverId: ids.driver,
          lat: 12.9761,
          lng: 77.5946,
          distanceM: 500,
          lastSeenAt: minutes(0),
          vehicleTypeId: 'economy',
          etaS: 110,
          roadDistanceM: 675,
          name: 'Ravi Kumar',
          plate: 'KA-01-AB-1234',
        },
      ],
    },
    errors: [
      invalid('vehicleTypeIds', 'empty or more than 10'),
      invalid('k', 'outside 1…50 (`maxRadiusM`: 100…10,000)'),
    ],
  },
  'operations.bookings': {
    summary: 'The bookings board',
    description:
      'Bookings under way, escalated ones (no driver found in time) first, and the latest finished ones.',
    access: ['dispatcher', 'admin'],
    example: { output: { active: [bookingForStaff], recent: [] } },
    errors: [],
  },
  'operations.bookingAudit': {
    summary: "A booking's history and assignment",
    description:
      "Every state change of a booking (who, when, why) and every dispatch round's candidates, ranked, " +
      'with the reason for their rank and what became of the offer. An unknown id answers empty lists.',
    access: ['dispatcher', 'admin'],
    example: {
      input: { bookingId: ids.booking },
      output: {
        events: [
          {
            version: 1,
            from: null,
            to: 'requested',
            event: 'requested',
            actor: 'rider',
            actorName: 'Riya Sharma',
            reason: null,
            at: minutes(0),
          },
          {
            version: 4,
            from: 'offered',
            to: 'accepted',
            event: 'accept',
            actor: 'driver',
            actorName: 'Ravi Kumar',
            reason: null,
            at: minutes(1),
          },
        ],
        candidates: [
          {
            round: 1,
            driverId: ids.driver,
            name: 'Ravi Kumar',
            rank: 1,
            etaS: 66,
            distanceM: 405,
            idleS: 300,
            reason: 'pickup in 1 min (0.4 km), idle 5 min',
            outcome: 'accepted',
          },
        ],
      },
    },
    errors: [invalid('bookingId', 'not a UUID')],
  },
  'operations.driverTrack': {
    summary: "A driver's positions over a window",
    description:
      'Where a driver was between `from` and `to` (epoch ms of device time, at most 24 hours apart), ' +
      'oldest first, at most 25,000 points (`truncated` says when more exist). Movements are personal: ' +
      'every look is written to the audit log (`driver_history.viewed`).',
    access: ['dispatcher', 'admin'],
    example: {
      input: { driverId: ids.driver, from: minutes(-60), to: minutes(0) },
      output: {
        driverId: ids.driver,
        name: 'Ravi Kumar',
        points: [
          {
            sessionId: ids.dutySession,
            seq: 412,
            at: minutes(-2),
            lat: 12.9716,
            lng: 77.5946,
            accuracyM: 5,
            speedMps: 8.2,
          },
        ],
        truncated: false,
      },
    },
    errors: [
      invalid('to', 'not after `from`, or more than 24 hours after it'),
      notFound('no such driver', 'driverId'),
    ],
  },
  'operations.surge': {
    summary: 'Surge per cell',
    description:
      'Every H3 cell with a surge multiplier above 1, with the demand and supply behind it and the reason, ' +
      'for the map.',
    access: ['dispatcher', 'admin'],
    example: {
      output: [
        {
          cell: '8761892e9ffffff',
          multiplier: 1.4,
          demand: 12,
          supply: 5,
          reason: 'High demand: 12 requests, 5 cars nearby',
        },
      ],
    },
    errors: [],
  },
};
