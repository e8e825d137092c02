import type { DriverStateEvent, LocationRecord } from '@/domain/driver-events';
import { type LiveDriver, rooms } from '@/domain/realtime-contract';
import type { Clock } from '../services/ports';
import { densityResolution, type FleetEntry, type FleetView } from './fleet-view';
import { encodeRoomFrame, type RoomFrame, sendRoomFrames } from './room-frames';
import type { RealtimeServer } from './types';

export interface FanoutOptions {
  /** Positions go out at most once per driver per interval (a dashboard never sees every ping). */
  intervalMs: number;
  densityEveryMs: number;
  staleAfterMs: number;
  onFrame?: () => void;
  /** Every driver that moved since the last flush (the booking fan-out forwards assigned ones). */
  onDriverMoved?: (entry: FleetEntry) => void;
}

/**
 * Fans Kafka driver events out to this instance's dispatchers. Positions are coalesced per
 * driver and sent per viewport cell: a dispatcher receives only the cells on their screen, at
 * most one frame per cell per interval. State changes go to every dispatcher at once; the
 * density heatmap every couple of seconds, in the same tick as the cells' frames. Frames are
 * encoded once per room and each socket gets the frames of a tick in one write (room-frames.ts,
 * docs/decisions/0020-room-frames.md). Emits are local (`io.local`): every realtime instance
 * reads Kafka itself (docs/decisions/0003-events-to-realtime-instances.md).
 */
export class OperationsFanout {
  private pending = new Set<FleetEntry>();
  private timer: NodeJS.Timeout | null = null;
  private densityDueAt = 0;
  framesSent = 0;

  constructor(
    private readonly io: RealtimeServer,
    private readonly fleet: FleetView,
    private readonly clock: Clock,
    private readonly options: FanoutOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    this.densityDueAt = this.clock.now() + this.options.densityEveryMs;
    this.timer = setInterval(() => this.flush(), this.options.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  onLocations(records: readonly LocationRecord[]): void {
    for (const r of records) {
      const entry = this.fleet.applyLocation(r);
      if (entry) this.pending.add(entry);
    }
  }

  onStateEvent(event: DriverStateEvent): void {
    this.fleet.applyState(event);
    this.io.local
      .to(rooms.operations())
      .emit('driver:state', { driverId: event.driverId, state: event.state, at: event.at });
  }

  /** One tick: the cells' frames and, when due, the density heatmap, in one write per socket. */
  flush(): void {
    const frames = this.pending.size > 0 ? this.cellFrames() : [];
    const now = this.clock.now();
    if (now >= this.densityDueAt && this.densityDueAt > 0) {
      this.densityDueAt = now + this.options.densityEveryMs;
      const density = this.densityFrame(now);
      if (density) frames.push(density);
    }
    if (frames.length > 0) sendRoomFrames(this.io, frames);
  }

  private cellFrames(): RoomFrame[] {
    const byCell = new Map<string, LiveDriver[]>();
    const add = (cell: string, driver: LiveDriver) => {
      const list = byCell.get(cell);
      if (list) list.push(driver);
      else byCell.set(cell, [driver]);
    };
    for (const entry of this.pending) {
      if (!this.fleet.isCurrent(entry)) continue;
      this.options.onDriverMoved?.(entry);
      add(entry.viewCell, entry.live);
      // Whoever watches the cell the driver left sees it leave.
      if (entry.leftCell !== null && entry.leftCell !== entry.viewCell) add(entry.leftCell, entry.live);
      entry.leftCell = null;
    }
    this.pending = new Set();
    const roomsNow = this.io.sockets.adapter.rooms;
    const sentAt = this.clock.now();
    const frames: RoomFrame[] = [];
    for (const [cell, drivers] of byCell) {
      const room = rooms.opsCell(cell);
      if (!roomsNow.get(room)?.size) continue;
      frames.push(encodeRoomFrame(room, 'drivers:moved', { drivers, sentAt }));
      this.framesSent++;
      this.options.onFrame?.();
    }
    return frames;
  }

  private densityFrame(at: number): RoomFrame | null {
    if (!this.io.sockets.adapter.rooms.get(rooms.operations())?.size) return null;
    const cells = this.fleet
      .density(at, this.options.staleAfterMs)
      .map((c) => [c.cell, c.available, c.busy, c.stale] as [string, number, number, number]);
    return encodeRoomFrame(rooms.operations(), 'ops:density', { resolution: densityResolution, cells, at });
  }
}
