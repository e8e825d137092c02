import type { DriverStateEvent, LocationRecord } from '@/domain/driver-events';
import { type LiveDriver, rooms } from '@/domain/realtime-contract';
import type { Clock } from '../services/ports';
import type { RealtimeServer } from './types';

/**
 * Fans Kafka driver events out to this instance's operations room. Positions are coalesced:
 * each driver's newest position at most once per interval, so a dashboard gets one frame every
 * 100 ms instead of every ping. State changes go out at once. Emits are local (`io.local`):
 * every realtime instance reads Kafka itself (docs/decisions/0003-events-to-realtime-instances.md).
 */
export class OperationsFanout {
  private pending = new Map<string, LiveDriver>();
  private timer: NodeJS.Timeout | null = null;
  framesSent = 0;

  constructor(
    private readonly io: RealtimeServer,
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.flush(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  onLocations(records: readonly LocationRecord[]): void {
    for (const r of records) {
      const seen = this.pending.get(r.driverId);
      if (seen && seen.lastSeenAt > r.receivedAt) continue;
      this.pending.set(r.driverId, {
        driverId: r.driverId,
        lat: r.lat,
        lng: r.lng,
        state: r.state,
        vehicleTypeId: r.vehicleTypeId,
        lastSeenAt: r.receivedAt,
        ...(r.headingDeg !== undefined ? { headingDeg: r.headingDeg } : {}),
      });
    }
  }

  onStateEvent(event: DriverStateEvent): void {
    if (event.state === 'offline') this.pending.delete(event.driverId);
    this.io.local
      .to(rooms.operations())
      .emit('driver:state', { driverId: event.driverId, state: event.state, at: event.at });
  }

  flush(): void {
    if (this.pending.size === 0) return;
    const drivers = [...this.pending.values()];
    this.pending = new Map();
    if (!this.io.sockets.adapter.rooms.get(rooms.operations())?.size) return;
    this.io.local.to(rooms.operations()).emit('drivers:moved', { drivers, sentAt: this.clock.now() });
    this.framesSent++;
  }
}
