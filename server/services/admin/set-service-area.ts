import { getResolution, isValidCell } from 'h3-js';
import { z } from 'zod';
import { serviceAreaResolution } from '@/domain/service-area';
import { defaultServiceArea } from '../platform/settings';
import type { AdminActor, AdminDeps } from './deps';
import { replaceSetting } from './internal/settings-row';

/** ~5 km² a cell: 2,000 cells is ~10,000 km², a metro region; quotes test membership in a Set. */
export const maxServiceAreaCells = 2_000;
/** The audit entry lists at most this many added and removed cells (and always the counts). */
const auditedCells = 500;

export const setServiceAreaInput = z.object({
  cells: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        // H3 indexes are 15 characters: anything much longer is not a cell, and is refused before
        // h3-js parses it (abort: one clear message, no work on an arbitrarily long string).
        .max(20, { error: 'is too long to be an H3 cell (15 characters)', abort: true })
        .refine(isValidCell, { error: 'is not an H3 cell', abort: true })
        .refine((c) => getResolution(c) === serviceAreaResolution, {
          error: `must be an H3 cell of resolution ${serviceAreaResolution}`,
        }),
    )
    .min(1, { error: 'the service area needs at least one cell' })
    .max(maxServiceAreaCells, { error: `at most ${maxServiceAreaCells} cells` }),
});

/**
 * Replaces the service area. Quotes read it each time, so the next quote is checked against it;
 * bookings already made are not touched. The audit entry records what was added and removed.
 */
export async function setServiceArea(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof setServiceAreaInput>,
) {
  const cells = [...new Set(input.cells)].sort();
  return replaceSetting(deps, actor, 'serviceAreaCells', (stored) => {
    const before = new Set((stored as string[] | undefined) ?? defaultServiceArea());
    const after = new Set(cells);
    const added = cells.filter((c) => !before.has(c));
    const removed = [...before].filter((c) => !after.has(c)).sort();
    return {
      value: cells,
      details: {
        count: cells.length,
        addedCount: added.length,
        removedCount: removed.length,
        added: added.slice(0, auditedCells),
        removed: removed.slice(0, auditedCells),
      },
      result: { cells, added: added.length, removed: removed.length },
    };
  });
}
