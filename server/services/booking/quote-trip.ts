import { randomUUID } from 'node:crypto';
import { latLngToCell } from 'h3-js';
import { DomainError } from '@/domain/errors';
import { straightLineEstimator } from '@/domain/eta';
import { haversineMeters, type LatLng } from '@/domain/geo';
import { currency } from '@/domain/money';
import { type FareBreakdown, noSurge, quoteFare } from '@/domain/pricing';
import { checkScheduleTime, isInServiceArea, serviceAreaResolution } from '@/domain/service-area';
import { signQuote } from '../../auth/quote-token';
import { catalogType } from '../platform/internal/catalog';
import { loadSettings } from '../platform/settings';
import type { BookingDeps } from './deps';

export interface QuoteInput {
  riderId: string;
  pickup: LatLng;
  dropoff: LatLng;
  vehicleTypeId: string;
  scheduledFor: number | null;
}

export interface Quote {
  quoteId: string;
  token: string;
  expiresAt: number;
  vehicleTypeId: string;
  pickup: LatLng;
  dropoff: LatLng;
  scheduledFor: number | null;
  fare: FareBreakdown;
  currency: string;
  /** The road route between pickup and drop-off, for the map; null where only a guess is known. */
  route: LatLng[] | null;
}

export const tripLimits = { minDistanceM: 100, maxDistanceM: 100_000 } as const;

/**
 * Prices a trip and locks the price in a signed quote (valid 5 minutes). Checks the service area,
 * the vehicle type and the schedule window; applies the pickup cell's surge (immediate trips only:
 * a scheduled trip is priced without surge). Every quote counts as demand for surge.
 */
export async function quoteTrip(deps: BookingDeps, input: QuoteInput): Promise<Quote> {
  const now = deps.clock.now();
  const settings = await loadSettings(deps.db);
  const area = new Set(settings.serviceAreaCells);
  if (!isInServiceArea(input.pickup, area)) {
    throw new DomainError('INVALID_INPUT', 'pickup: outside the service area', { field: 'pickup' });
  }
  if (!isInServiceArea(input.dropoff, area)) {
    throw new DomainError('INVALID_INPUT', 'dropoff: outside the service area', { field: 'dropoff' });
  }
  const straight = haversineMeters(input.pickup, input.dropoff);
  if (straight < tripLimits.minDistanceM) {
    throw new DomainError(
      'INVALID_INPUT',
      `dropoff: less than ${tripLimits.minDistanceM} m from the pickup`,
      { field: 'dropoff' },
    );
  }
  if (straight > tripLimits.maxDistanceM) {
    throw new DomainError(
      'INVALID_INPUT',
      `dropoff: more than ${tripLimits.maxDistanceM / 1000} km from the pickup`,
      {
        field: 'dropoff',
      },
    );
  }
  if (input.scheduledFor !== null) checkScheduleTime(input.scheduledFor, now, settings.schedule);
  // Types and fares come from this process's catalog copy (an admin change applies within seconds).
  const type = await catalogType(deps.db, input.vehicleTypeId);
  const table = type?.active ? type.fare : null;
  if (!table)
    throw new DomainError('INVALID_INPUT', 'vehicleTypeId: unknown vehicle type', { field: 'vehicleTypeId' });

  const cell = latLngToCell(input.pickup.lat, input.pickup.lng, serviceAreaResolution);
  const travel = (deps.estimator ?? straightLineEstimator()).estimate(input.pickup, input.dropoff);
  const surge = input.scheduledFor === null ? await deps.surge.surgeFor(cell).catch(() => noSurge) : noSurge;
  const fare = quoteFare(table, travel, surge);
  const quoteId = randomUUID();
  const { token, expiresAt } = await signQuote(
    {
      quoteId,
      riderId: input.riderId,
      vehicleTypeId: input.vehicleTypeId,
      pickup: input.pickup,
      dropoff: input.dropoff,
      scheduledFor: input.scheduledFor,
      total: fare.total,
      currency,
      fare: { ...fare },
    },
    deps.quoteSecret,
    now,
  );
  // Demand feeds surge; losing one count is harmless, failing the quote for it is not.
  void deps.surge.recordDemand(cell, now).catch(() => undefined);
  return {
    quoteId,
    token,
    expiresAt,
    vehicleTypeId: input.vehicleTypeId,
    pickup: input.pickup,
    dropoff: input.dropoff,
    scheduledFor: input.scheduledFor,
    fare,
    currency,
    route: travel.path ?? null,
  };
}
