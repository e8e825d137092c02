import { getResolution, isValidCell } from 'h3-js';
import { z } from 'zod';
import { socketEventLimits } from '@/domain/rate-limits';
import { maxWatchedCells, rooms, viewportResolution } from '@/domain/realtime-contract';
import { operationsRoles } from '@/domain/roles';
import type { Clock } from '../../services/ports';
import type { FleetView } from '../fleet-view';
import { defineSocketEvent } from '../socket-event';

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
export const opsWatchEvent = (deps: { fleet: FleetView; clock: Clock }) =>
  defineSocketEvent({
    event: 'ops:watch',
    roles: operationsRoles,
    forbidden: 'Only dispatchers and admins can watch operations',
    schema: watchSchema,
    rateLimit: socketEventLimits['ops:watch'],
    async handle({ cells }, { socket }) {
      const wanted = new Set(cells.map(rooms.opsCell));
      for (const room of socket.rooms) {
        if (room.startsWith('ops:cell:') && !wanted.has(room)) await socket.leave(room);
      }
      await socket.join([rooms.operations(), ...wanted]);
      return {
        drivers: deps.fleet.inCells(new Set(cells), maxSnapshotDrivers),
        serverTime: deps.clock.now(),
      };
    },
  });
