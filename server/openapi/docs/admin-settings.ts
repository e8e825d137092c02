import { type DocsFor, invalid, notFound } from '../doc-model';
import { ids, minutes } from './examples';

const admin = ['admin'] as const;
const surge = { threshold: 1, slope: 0.5, cap: 2.5, neighbourWeight: 0.5 };
const fareTable = { baseFare: 7000, perKm: 4000, perMinute: 400, minimumFare: 13000, bookingFee: 1500 };

/** Platform settings (fares, surge, service area) and the audit log. */
export const adminSettingsDocs: DocsFor<'admin.settings' | 'admin.audit'> = {
  'admin.settings.get': {
    summary: 'Platform settings',
    description:
      'The surge policy, the service area (H3 resolution-7 cells), their defaults and the limits each ' +
      'setting accepts.',
    access: admin,
    example: {
      output: {
        surge,
        serviceAreaCells: ['8760145b4ffffff', '8761892e9ffffff'],
        defaults: { surge, serviceAreaCellCount: 217 },
        limits: {
          surge: { cap: [1, 5], threshold: [0.1, 10], slope: [0, 5], neighbourWeight: [0, 1] },
          maxServiceAreaCells: 2000,
        },
      },
    },
    errors: [],
  },
  'admin.settings.updateFare': {
    summary: "Change a vehicle type's fares",
    description:
      'Replaces the fare table (minor currency units). New quotes use it at once; quotes already ' +
      'signed and bookings keep their price.',
    access: admin,
    example: {
      input: { vehicleTypeId: 'economy', fare: fareTable },
      output: { vehicleTypeId: 'economy', ...fareTable, updatedAt: minutes(0) },
    },
    errors: [
      invalid('fare.perKm', 'a fare amount is negative, not whole, or too large'),
      notFound('no such vehicle type with a fare table', 'vehicleTypeId'),
    ],
  },
  'admin.settings.updateSurge': {
    summary: 'Change the surge policy',
    description:
      'Surge starts when demand ÷ supply in a cell (neighbours weighted by `neighbourWeight`) exceeds ' +
      '`threshold`, rising by `slope` per unit above it, up to `cap`.',
    access: admin,
    example: {
      input: { cap: 2, threshold: 1.2, slope: 0.5, neighbourWeight: 0.3 },
      output: { cap: 2, threshold: 1.2, slope: 0.5, neighbourWeight: 0.3 },
    },
    errors: [invalid('cap', 'outside 1…5 (each setting has its range: see `admin.settings.get`)')],
  },
  'admin.settings.setServiceArea': {
    summary: 'Replace the service area',
    description:
      'The H3 resolution-7 cells (about 5 km² each, at most 2,000) where trips may start and end. The ' +
      'next quote is checked against it; bookings already made are not touched. The audit entry lists ' +
      'the cells added and removed.',
    access: admin,
    example: {
      input: { cells: ['8760145b4ffffff', '8761892e9ffffff'] },
      output: { cells: ['8760145b4ffffff', '8761892e9ffffff'], added: 0, removed: 215 },
    },
    errors: [invalid('cells.0', 'not an H3 cell of resolution 7 (or none, or more than 2,000)')],
  },
  'admin.audit': {
    summary: 'The audit log',
    description:
      'Security and admin events (sign-ins, role and status changes, setting changes, history and ' +
      'personal-data views), newest first, 100 a page. Filter by action, actor, subject or time; page ' +
      "with `beforeId` set to the previous page's `nextBeforeId`.",
    access: admin,
    example: {
      input: { action: 'settings.changed' },
      output: {
        entries: [
          {
            id: 18,
            at: minutes(0),
            actorId: ids.admin,
            actorRole: 'admin',
            action: 'settings.changed',
            subjectType: 'setting',
            subjectId: 'surge',
            details: { key: 'surge', before: { cap: 2.5 }, after: { cap: 2 } },
            ip: '203.0.113.7',
            actorName: 'Asha Admin',
            subjectName: null,
          },
        ],
        nextBeforeId: null,
      },
    },
    errors: [invalid('action', 'not an audited action'), invalid('actorId', 'not a user id')],
  },
};
