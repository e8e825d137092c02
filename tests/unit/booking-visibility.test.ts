import { describe, expect, it } from 'vitest';
import { type BookingParties, canView } from '@/domain/booking-visibility';

const booking: BookingParties = { riderId: 'r1', driverId: null, offeredDriverId: 'd1', status: 'offered' };

describe('who may see a booking', () => {
  it('lets a rider see only their own', () => {
    expect(canView({ id: 'r1', role: 'rider' }, booking)).toBe(true);
    expect(canView({ id: 'r2', role: 'rider' }, booking)).toBe(false);
  });

  it('lets a driver see the offer ringing for them, and no longer once it moved on', () => {
    expect(canView({ id: 'd1', role: 'driver' }, booking)).toBe(true);
    expect(canView({ id: 'd2', role: 'driver' }, booking)).toBe(false);
    expect(canView({ id: 'd1', role: 'driver' }, { ...booking, status: 'searching' })).toBe(false);
  });

  it('lets the assigned driver see the trip', () => {
    const trip = { ...booking, driverId: 'd1', offeredDriverId: null, status: 'accepted' as const };
    expect(canView({ id: 'd1', role: 'driver' }, trip)).toBe(true);
    expect(canView({ id: 'd2', role: 'driver' }, trip)).toBe(false);
  });

  it('lets dispatchers and admins see every booking', () => {
    expect(canView({ id: 'x', role: 'dispatcher' }, booking)).toBe(true);
    expect(canView({ id: 'x', role: 'admin' }, booking)).toBe(true);
  });
});
