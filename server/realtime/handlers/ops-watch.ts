import { getResolution, isValidCell } from 'h3-js';
import { z } from 'zod';
import {
  type Ack,
  maxWatchedCells,
  rooms,
  viewportResolution,
  type WatchSnapshot,
} from '@/domain/realtime-contract';
import { hasRole, operationsRoles } from '@/domain/roles';
import type { Clock } from '../../services/ports';
import { fail, invalid } from '../ack';
import type { FleetView } from '../fleet-view';
import type { RealtimeSocket } from '../types';

const maxSnapshotDrivers = 20_000;

const watchSchema = z.object({
  cells: z
    .array(
      z.string().refine((c) => isValidCell(c) && getResolution(c) === viewportResolution, {
        message: `must be an H3 cell of resolution ${viewportResolution}`,
      }),
    )
    .max(maxWatchedCells),
});

/**
 * `ops:watch`: dispatchers and admins (only) replace the set of viewport cells they follow and
 * get those cells' drivers in the answer. Joining first and answering with the snapshot second
 * means no position falls between the two.
 */
export function opsWatchHandler(fleet: FleetView, clock: Clock) {
  return async function (this: RealtimeSocket, payload: unknown, ack: unknown) {
    if (typeof ack !== 'function') return;
    const reply = ack as (result: Ack<WatchSnapshot>) => void;
    const { role } = this.data.principal;
    if (role === 'gateway' || !hasRole(role, operationsRoles)) {
      return reply(fail('FORBIDDEN', 'Only dispatchers and admins can watch operations'));
    }
    const parsed = watchSchema.safeParse(payload);
    if (!parsed.success) return reply(invalid(parsed.error));
    const wanted = new Set(parsed.data.cells.map(rooms.opsCell));
    for (const room of this.rooms) {
      if (room.startsWith('ops:cell:') && !wanted.has(room)) await this.leave(room);
    }
    await this.join([rooms.operations(), ...wanted]);
    reply({
      ok: true,
      drivers: fleet.inCells(new Set(parsed.data.cells), maxSnapshotDrivers),
      serverTime: clock.now(),
    });
  };
}
