import { type DocsFor, invalid } from '../doc-model';
import { ids } from './examples';

const admin = ['admin'] as const;
const range = { from: '2026-11-01T00:00:00+05:30', to: '2026-11-08T00:00:00+05:30' };
/** The range as answered: widened to whole UTC hours, epoch ms. */
const answered = { from: 1_793_471_400_000, to: 1_794_076_200_000 };
const rangeErrors = [
  invalid('to', 'not after `from`, or more than 92 days after it'),
  invalid('from', 'not an ISO 8601 date-time with a time zone'),
];

/** Business history from the hourly rollups: admins only (revenue and per-driver data). */
export const analyticsDocs: DocsFor<'analytics'> = {
  'analytics.summary': {
    summary: 'Headline numbers for a date range',
    description:
      'Bookings by outcome, fulfilment, time to assign, pickup punctuality, cancellations by who and ' +
      'why, revenue (minor units) per currency and vehicle type, driver hours and offer fairness, and ' +
      'unserved demand, for [from, to) of at most 92 days.',
    access: admin,
    example: {
      input: range,
      output: {
        range: answered,
        bookings: {
          made: 120,
          completed: 104,
          cancelled: 12,
          noDriverFound: 4,
          byStatus: { completed: 104 },
        },
        fulfilmentRate: 0.867,
        timeToAssign: { count: 108, p50S: 14, p90S: 41 },
        pickupEta: {
          count: 104,
          late: 9,
          promisedAvgS: 280,
          actualAvgS: 301,
          promisedP50S: 260,
          actualP50S: 275,
        },
        cancellations: {
          total: 12,
          byActor: [{ actor: 'rider', cancellations: 9, ended: 9 }],
          topReasons: [{ actor: 'rider', reason: 'Plans changed', cancellations: 5, ended: 5 }],
        },
        revenue: {
          byCurrency: [{ currency: 'UYU', trips: 104, fares: 3_328_000, fees: 21_000 }],
          byVehicleType: [
            { vehicleTypeId: 'economy', currency: 'UYU', trips: 80, fares: 2_400_000, fees: 14_000 },
          ],
        },
        drivers: {
          active: 38,
          onlineHours: 912.5,
          engagedHours: 402.1,
          onTripHours: 311.7,
          utilisation: 0.342,
          engagedShare: 0.441,
          offers: 131,
          offersPerOnlineHour: 0.144,
          offersPerHourSpread: { p10: 0.05, p50: 0.14, p90: 0.31 },
        },
        demand: { requests: 124, unserved: 4 },
      },
    },
    errors: rangeErrors,
  },
  'analytics.series': {
    summary: 'A time series per hour or day',
    description:
      "The summary's measures per bucket: UTC hours (range ≤ 31 days) or days of `timeZone` (an IANA " +
      'name, default UTC). Nested input: over REST, send it as one `input` JSON parameter.',
    access: admin,
    example: {
      input: { range, granularity: 'day', timeZone: 'Asia/Kolkata' },
      output: {
        granularity: 'day',
        timeZone: 'Asia/Kolkata',
        range: answered,
        currencies: ['UYU'],
        buckets: [
          {
            at: answered.from,
            bookings: { completed: 15, cancelled: 2 },
            made: 17,
            completed: 15,
            cancelled: 2,
            noDriverFound: 0,
            fulfilmentRate: 0.882,
            assignP50S: 12,
            assignP90S: 38,
            promisedEtaAvgS: 270,
            actualPickupAvgS: 290,
            fares: { UYU: 480_000 },
            fees: { UYU: 7_000 },
            cancellations: 2,
            onlineHours: 130.2,
            onTripHours: 44.9,
            utilisation: 0.345,
            offers: 19,
            requests: 17,
            unserved: 0,
          },
        ],
      },
    },
    errors: [
      ...rangeErrors.map((e) => ({ ...e, field: `range.${e.field}` })),
      invalid('granularity', 'hourly over more than 31 days: choose day'),
      invalid('timeZone', 'not a known time zone'),
    ],
  },
  'analytics.cells': {
    summary: 'Demand and supply per cell',
    description:
      'Requests, unserved requests and average idle supply per H3 resolution-7 cell, busiest first, at ' +
      'most 5,000 cells (`truncated` says when more had demand); `samples` is the number of supply ' +
      'minutes sampled (0: supply unknown).',
    access: admin,
    example: {
      input: range,
      output: {
        range: answered,
        samples: 10_080,
        truncated: false,
        cells: [{ cell: '8761892e9ffffff', requests: 42, unserved: 2, avgSupply: 3.4 }],
      },
    },
    errors: rangeErrors,
  },
  'analytics.drivers': {
    summary: 'Driver fairness table',
    description:
      'Per driver online or offered something in the range: hours online, engaged and on trip, ' +
      'utilisation, offers per online hour and their outcomes. One page (≤ 100 rows), sortable. Nested ' +
      'input: over REST, send it as one `input` JSON parameter.',
    access: admin,
    example: {
      input: { range, page: 1, pageSize: 25, sort: 'offersPerHour', direction: 'desc' },
      output: {
        page: 1,
        pageSize: 25,
        total: 38,
        drivers: [
          {
            driverId: ids.driver,
            name: 'Ravi Kumar',
            onlineHours: 31.5,
            engagedHours: 14.2,
            onTripHours: 11.8,
            utilisation: 0.375,
            offers: 9,
            offersPerOnlineHour: 0.286,
            accepted: 8,
            declined: 1,
            expired: 0,
            trips: 8,
          },
        ],
      },
    },
    errors: [
      ...rangeErrors.map((e) => ({ ...e, field: `range.${e.field}` })),
      invalid('pageSize', 'outside 1…100'),
    ],
  },
};
