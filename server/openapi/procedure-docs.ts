import type { AllProcedureDocs } from './doc-model';
import { accountDocs } from './docs/account';
import { adminFleetDocs } from './docs/admin-fleet';
import { adminPeopleDocs } from './docs/admin-people';
import { adminSettingsDocs } from './docs/admin-settings';
import { analyticsDocs } from './docs/analytics';
import { driverDocs } from './docs/driver';
import { operationsDocs } from './docs/operations';
import { riderDocs } from './docs/rider';
import { sessionDocs } from './docs/session';

/**
 * The docs registry: one entry per tRPC procedure. Typed as the full set of the router's paths, so
 * a new procedure without an entry fails `tsc`; the generator also throws at run time (and the
 * unit test fails) for anything the types cannot see.
 */
export const procedureDocs: AllProcedureDocs = {
  ...sessionDocs,
  ...accountDocs,
  ...riderDocs,
  ...driverDocs,
  ...operationsDocs,
  ...adminFleetDocs,
  ...adminPeopleDocs,
  ...adminSettingsDocs,
  ...analyticsDocs,
};

/** One tag per router (admin: per sub-router), in the order the docs pages list them. */
export const tagDocs: Record<string, string> = {
  session: 'Who is signed in.',
  account: 'Accounts people make themselves.',
  catalog: 'What can be booked.',
  realtime: 'Access to the realtime (Socket.IO) server.',
  rider: 'What a rider sees before booking.',
  pricing: 'Fares and price locks.',
  booking: 'Booking trips and following them.',
  driver: 'The driver app: duty, offers and the trip. The driver is always the signed-in user.',
  operations: 'Dispatchers and admins: the live fleet, the bookings board, audits and surge.',
  'admin.vehicleTypes': 'Admins: vehicle types and their fare tables.',
  'admin.vehicles': 'Admins: the vehicle register and assignments.',
  'admin.drivers': 'Admins: onboarding drivers and checking their documents.',
  'admin.riders': 'Admins: rider accounts.',
  'admin.users': 'Admins: every account: status, role, password, personal data.',
  'admin.settings': 'Admins: surge policy, service area and fares.',
  admin: 'Admins: the audit log.',
  analytics: 'Admins: business history from the hourly rollups.',
};
