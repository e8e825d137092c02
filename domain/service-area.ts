import { latLngToCell } from 'h3-js';
import { DomainError } from './errors';
import type { LatLng } from './geo';

/** The service area is a set of H3 res-7 cells (~5 km²): drawn or chosen by admins, cheap to test. */
export const serviceAreaResolution = 7;

export function isInServiceArea(point: LatLng, cells: ReadonlySet<string>): boolean {
  return cells.has(latLngToCell(point.lat, point.lng, serviceAreaResolution));
}

export interface SchedulePolicy {
  /** A scheduled pickup must be at least this far ahead (else: book now). */
  minLeadMs: number;
  maxAheadMs: number;
  /** Dispatch starts this long before the pickup time. */
  dispatchLeadMs: number;
  /** Still no driver this long before pickup: escalate to dispatchers. */
  escalateBeforeMs: number;
}

export const defaultSchedulePolicy: SchedulePolicy = {
  minLeadMs: 15 * 60_000,
  maxAheadMs: 7 * 24 * 3_600_000,
  dispatchLeadMs: 10 * 60_000,
  escalateBeforeMs: 3 * 60_000,
};

export function checkScheduleTime(
  scheduledFor: number,
  nowMs: number,
  policy: SchedulePolicy = defaultSchedulePolicy,
): void {
  if (scheduledFor < nowMs + policy.minLeadMs) {
    throw new DomainError(
      'INVALID_INPUT',
      `scheduledFor: must be at least ${policy.minLeadMs / 60_000} minutes from now (or book now)`,
      { field: 'scheduledFor' },
    );
  }
  if (scheduledFor > nowMs + policy.maxAheadMs) {
    throw new DomainError(
      'INVALID_INPUT',
      `scheduledFor: at most ${policy.maxAheadMs / 86_400_000} days ahead`,
      {
        field: 'scheduledFor',
      },
    );
  }
}
