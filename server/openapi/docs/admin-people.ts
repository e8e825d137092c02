import { conflict, type DocsFor, invalid, notFound } from '../doc-model';
import { firstPageOf, ids, minutes } from './examples';

const admin = ['admin'] as const;
const unknownUser = notFound('no such user', 'userId');
const page = { search: '', sort: 'name', dir: 'asc', page: 1, pageSize: 25 } as const;

/** Drivers, riders and staff accounts. Personal fields stay encrypted unless revealed (audited). */
export const adminPeopleDocs: DocsFor<'admin.drivers' | 'admin.riders' | 'admin.users'> = {
  'admin.drivers.list': {
    summary: 'Drivers',
    description:
      'One page of drivers with their document check, account status, availability and vehicle; ' +
      'searchable by name or e-mail, sortable, filtered. `hasPhone` says a phone is on file without ' +
      'showing it.',
    access: admin,
    example: {
      input: { ...page, documentStatus: 'pending', withoutVehicle: false },
      output: firstPageOf({
        id: ids.driver,
        name: 'Ravi Kumar',
        email: 'ravi.kumar@example.com',
        status: 'active',
        documentStatus: 'pending',
        documentNote: null,
        availability: 'offline',
        vehicleId: ids.vehicle,
        plate: 'KA-01-AB-1234',
        vehicleStatus: 'active',
        createdAt: minutes(-600),
        hasPhone: true,
      }),
    },
    errors: [invalid('sort', 'not a sortable column')],
  },
  'admin.drivers.onboard': {
    summary: 'Onboard a driver',
    description:
      'Creates a driver account with its initial password; phone and licence number are stored ' +
      'encrypted. Documents start as `pending`: the driver cannot go on duty until they are verified.',
    access: admin,
    example: {
      input: {
        name: 'Asha Rao',
        email: 'asha.rao@example.com',
        phone: '+91 98450 00000',
        licenseNumber: 'KA0120230000001',
        password: 'correct-horse-battery',
      },
      output: {
        id: ids.otherDriver,
        name: 'Asha Rao',
        email: 'asha.rao@example.com',
        role: 'driver',
        documentStatus: 'pending',
      },
    },
    errors: [
      invalid('phone', 'not a phone number (`licenseNumber`, `email` and `password` likewise)'),
      conflict('an account with this e-mail already exists', 'email'),
    ],
  },
  'admin.drivers.setDocuments': {
    summary: "Record a driver's document check",
    description:
      'Verified documents let the driver go on duty; pending or rejected ones keep them off. The note ' +
      'is shown to admins.',
    access: admin,
    example: {
      input: { driverId: ids.otherDriver, status: 'verified', note: 'Licence checked in person' },
      output: {
        driverId: ids.otherDriver,
        documentStatus: 'verified',
        documentNote: 'Licence checked in person',
      },
    },
    errors: [
      invalid('status', 'not one of pending, verified, rejected'),
      notFound('no such driver', 'driverId'),
    ],
  },
  'admin.riders.list': {
    summary: 'Riders',
    description: 'One page of rider accounts, searchable by name or e-mail, sortable, filtered by status.',
    access: admin,
    example: {
      input: page,
      output: firstPageOf({
        id: ids.rider,
        name: 'Riya Sharma',
        email: 'riya@example.com',
        role: 'rider',
        status: 'active',
        createdAt: minutes(-9000),
        hasPhone: true,
      }),
    },
    errors: [invalid('pageSize', 'outside 1…100')],
  },
  'admin.riders.get': {
    summary: 'One rider',
    description: "A rider's account, trip counts by status and their latest trips.",
    access: admin,
    example: {
      input: { userId: ids.rider },
      output: {
        id: ids.rider,
        name: 'Riya Sharma',
        email: 'riya@example.com',
        status: 'active',
        createdAt: minutes(-9000),
        hasPhone: true,
        trips: { total: 2, byStatus: { completed: 1, cancelled: 1 }, lastAt: minutes(0) },
        recent: [
          {
            id: ids.booking,
            status: 'completed',
            vehicleTypeId: 'economy',
            pickupLabel: 'MG Road metro',
            dropoffLabel: 'Indiranagar 100 ft Road',
            fareTotal: 32800,
            currency: 'UYU',
            createdAt: minutes(0),
          },
        ],
      },
    },
    errors: [invalid('userId', 'not a UUID'), notFound('no such rider', 'userId')],
  },
  'admin.users.list': {
    summary: 'All accounts',
    description: 'One page of accounts of any role, searchable, sortable, filtered by role and status.',
    access: admin,
    example: {
      input: { ...page, role: 'dispatcher' },
      output: firstPageOf({
        id: ids.dispatcher,
        name: 'Dev Dispatcher',
        email: 'dev@example.com',
        role: 'dispatcher',
        status: 'active',
        createdAt: minutes(-20000),
        hasPhone: false,
      }),
    },
    errors: [invalid('role', 'not one of rider, driver, dispatcher, admin')],
  },
  'admin.users.setStatus': {
    summary: 'Suspend or reinstate an account',
    description:
      'Suspension signs the user out everywhere at once (sessions revoked, open sockets closed within ' +
      'seconds) and blocks sign-in; for riders this is "block". Admins cannot suspend themselves.',
    access: admin,
    example: {
      input: { userId: ids.rider, status: 'suspended', reason: 'Chargeback fraud' },
      output: { id: ids.rider, role: 'rider', status: 'suspended', revokedSessions: 1 },
    },
    errors: [
      invalid('reason', 'longer than 500 characters'),
      unknownUser,
      conflict('the admin tried to suspend or reinstate themselves', 'userId'),
    ],
  },
  'admin.users.changeRole': {
    summary: "Change an account's role",
    description:
      'The user is signed out everywhere and signs in again with the new role. Driver accounts are ' +
      'made by onboarding (a licence must be on file); a driver on duty keeps their role until offline.',
    access: admin,
    example: {
      input: { userId: ids.dispatcher, role: 'admin' },
      output: { id: ids.dispatcher, role: 'admin', revokedSessions: 1 },
    },
    errors: [
      invalid('role', 'making a driver of an account that was not onboarded as one'),
      unknownUser,
      conflict('the admin tried to change their own role', 'userId'),
      conflict('the driver is on duty', 'role'),
    ],
  },
  'admin.users.resetPassword': {
    summary: "Reset an account's password",
    description: 'Sets a new password and signs the user out everywhere.',
    access: admin,
    example: {
      input: { userId: ids.otherDriver, password: 'another-long-passphrase' },
      output: { id: ids.otherDriver, revokedSessions: 0 },
    },
    errors: [invalid('password', 'shorter than 8 or longer than 128 characters'), unknownUser],
  },
  'admin.users.revealPii': {
    summary: 'Reveal a personal field',
    description:
      "Decrypts one personal field (a user's phone, a driver's licence number). A mutation, not a query, " +
      'because every reveal is written to the audit log (`pii.viewed`); never cached or prefetched.',
    access: admin,
    example: {
      input: { userId: ids.otherDriver, field: 'phone' },
      output: { field: 'phone', value: '+91 98450 00000' },
    },
    errors: [
      invalid('field', 'not one of phone, licenseNumber'),
      notFound('no such user (or, for a licence number, no such driver)', 'userId'),
      { status: 503, when: 'the value cannot be decrypted with the configured keys' },
    ],
  },
};
