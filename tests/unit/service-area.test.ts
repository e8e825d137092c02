import { cellToBoundary, cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { DomainError } from '@/domain/errors';
import type { LatLng } from '@/domain/geo';
import {
  checkScheduleTime,
  defaultSchedulePolicy,
  isInServiceArea,
  serviceAreaResolution,
} from '@/domain/service-area';

const centreCell = latLngToCell(12.9716, 77.5946, serviceAreaResolution);
const area = new Set(gridDisk(centreCell, 1)); // the centre cell and its six neighbours
const outside = gridDisk(centreCell, 2).find((c) => !area.has(c))!;
const point = ([lat, lng]: number[]): LatLng => ({ lat: lat!, lng: lng! });
/** A point a fraction `t` of the way from `a` to `b`. */
const lerp = (a: LatLng, b: LatLng, t: number): LatLng => ({
  lat: a.lat + (b.lat - a.lat) * t,
  lng: a.lng + (b.lng - a.lng) * t,
});

describe('isInServiceArea', () => {
  it('uses H3 resolution 7 cells', () => {
    expect(serviceAreaResolution).toBe(7);
  });

  it('accepts a point in any cell of the area and refuses one in a cell outside', () => {
    for (const cell of area) expect(isInServiceArea(point(cellToLatLng(cell)), area)).toBe(true);
    expect(isInServiceArea(point(cellToLatLng(outside)), area)).toBe(false);
    expect(isInServiceArea({ lat: 28.6139, lng: 77.209 }, area)).toBe(false); // another city
  });

  it('decides at the cell boundary: just inside the edge is in, just across it is out', () => {
    // The outer edge of the area: an edge of a ring-1 cell shared with a ring-2 cell.
    const edgeCell = gridDisk(outside, 1).find((c) => area.has(c) && c !== centreCell)!;
    const inner = point(cellToLatLng(edgeCell));
    const outer = point(cellToLatLng(outside));
    // The midpoint of the two centres lies on their shared edge (hexagons of near-equal size).
    const justIn = lerp(inner, outer, 0.49);
    const justOut = lerp(inner, outer, 0.51);
    expect(latLngToCell(justIn.lat, justIn.lng, serviceAreaResolution)).toBe(edgeCell);
    expect(latLngToCell(justOut.lat, justOut.lng, serviceAreaResolution)).toBe(outside);
    expect(isInServiceArea(justIn, area)).toBe(true);
    expect(isInServiceArea(justOut, area)).toBe(false);
  });

  it('counts every vertex region of an inner cell, since a point near a vertex still has one cell', () => {
    for (const vertex of cellToBoundary(centreCell)) {
      const nearVertex = lerp(point(cellToLatLng(centreCell)), point(vertex), 0.98);
      expect(isInServiceArea(nearVertex, area)).toBe(true);
    }
  });

  it('refuses everything when no area is drawn', () => {
    expect(isInServiceArea(point(cellToLatLng(centreCell)), new Set())).toBe(false);
  });

  it('does not match cells of another resolution', () => {
    const res8 = new Set([latLngToCell(12.9716, 77.5946, 8)]);
    expect(isInServiceArea({ lat: 12.9716, lng: 77.5946 }, res8)).toBe(false);
  });
});

describe('checkScheduleTime', () => {
  const now = 1_700_000_000_000;
  const min = 60_000;
  const refusal = (scheduledFor: number) => {
    try {
      checkScheduleTime(scheduledFor, now);
    } catch (error) {
      return error as DomainError;
    }
    return null;
  };

  it('accepts pickups from 15 minutes up to 7 days ahead, both ends included', () => {
    expect(refusal(now + 15 * min)).toBeNull();
    expect(refusal(now + 3 * 3_600_000)).toBeNull();
    expect(refusal(now + 7 * 24 * 60 * min)).toBeNull();
  });

  it('refuses a pickup too soon (or in the past), naming the field', () => {
    for (const at of [now + 15 * min - 1, now, now - 60 * min]) {
      const error = refusal(at);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'scheduledFor' } });
      expect(error!.message).toBe('scheduledFor: must be at least 15 minutes from now (or book now)');
    }
  });

  it('refuses a pickup more than 7 days ahead', () => {
    const error = refusal(now + 7 * 24 * 60 * min + 1);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'scheduledFor' } });
    expect(error!.message).toBe('scheduledFor: at most 7 days ahead');
  });

  it('follows the policy', () => {
    const policy = { ...defaultSchedulePolicy, minLeadMs: 30 * min, maxAheadMs: 24 * 60 * min };
    expect(() => checkScheduleTime(now + 20 * min, now, policy)).toThrow('at least 30 minutes');
    expect(() => checkScheduleTime(now + 30 * min, now, policy)).not.toThrow();
    expect(() => checkScheduleTime(now + 25 * 60 * min, now, policy)).toThrow('at most 1 days ahead');
  });

  it('starts dispatch before the pickup and escalates later, both inside the minimum lead', () => {
    const p = defaultSchedulePolicy;
    expect(p.escalateBeforeMs).toBeLessThan(p.dispatchLeadMs);
    expect(p.dispatchLeadMs).toBeLessThan(p.minLeadMs);
  });
});
