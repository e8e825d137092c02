import { conflict, type DocsFor, invalid, notFound } from '../doc-model';
import { bookingForStaff, ids, minutes } from './examples';

const console_ = {
  driverId: ids.driver,
  name: 'Ravi Kumar',
  state: 'available',
  version: 7,
  sessionId: ids.dutySession,
  vehicle: { plate: 'KA-01-AB-1234', vehicleTypeId: 'economy', description: 'White Maruti Dzire' },
  actions: ['go_offline', 'pause'],
} as const;

/** The driver's app: duty, offers and the trip. The driver is always the session's user. */
export const driverDocs: DocsFor<'driver'> = {
  'driver.console': {
    summary: "The driver's state",
    description:
      'Availability state, its version, the open duty session, the assigned vehicle and the actions ' +
      'allowed from this state (what the app shows as buttons).',
    access: ['driver'],
    example: { output: { ...console_, actions: [...console_.actions] } },
    errors: [notFound('the account has no driver profile')],
  },
  'driver.setAvailability': {
    summary: 'Go online, offline, pause or resume',
    description:
      "Changes the driver's availability through the state machine, in one transaction with the duty " +
      'session and the audit trail, and answers the new console. Going online needs verified documents ' +
      'and an active vehicle assigned.',
    access: ['driver'],
    example: {
      input: { event: 'pause' },
      output: { ...console_, state: 'paused', version: 8, actions: ['go_offline', 'resume'] },
    },
    errors: [
      invalid('event', 'not one of go_online, go_offline, pause, resume'),
      notFound('the account has no driver profile'),
      conflict(
        'the event is not allowed from the current state (e.g. pause while offline), documents are ' +
          'not verified, or no active vehicle is assigned',
      ),
    ],
  },
  'driver.work': {
    summary: 'The ringing offer and the current trip',
    description:
      'What the driver app restores on reload: the offer ringing for this driver (with `offerExpiresAt`), ' +
      'if any, and the trip under way, if any.',
    access: ['driver'],
    example: {
      output: {
        offer: null,
        trip: bookingForStaff,
      },
    },
    errors: [],
  },
  'driver.respondToOffer': {
    summary: 'Accept or decline an offer',
    description:
      "Accepting makes the booking the driver's trip and answers it; declining answers `null` and the " +
      'dispatcher offers the next candidate. An offer can be answered only while it rings.',
    access: ['driver'],
    example: { input: { bookingId: ids.booking, accept: true }, output: bookingForStaff },
    errors: [
      invalid('bookingId', 'not a UUID'),
      notFound('no such booking'),
      conflict('the offer is no longer open or has expired'),
    ],
  },
  'driver.tripAction': {
    summary: 'Arrived, start, complete or cancel the trip',
    description:
      "Moves the driver's current trip on: `arrived` at the pickup, `start` with the rider aboard, " +
      '`complete` at the drop-off, or `cancel` with a `reason` (the booking is offered to another ' +
      "driver). Answers the trip, or `null` once it is no longer this driver's.",
    access: ['driver'],
    example: {
      input: { bookingId: ids.booking, action: 'arrived' },
      output: { ...bookingForStaff, status: 'arrived', version: 5, arrivedAt: minutes(4), etaS: 0 },
    },
    errors: [
      invalid('reason', 'cancelling without saying why'),
      notFound('no such trip of this driver'),
      conflict("the action does not follow from the trip's state (e.g. start before arrived)"),
    ],
  },
};
