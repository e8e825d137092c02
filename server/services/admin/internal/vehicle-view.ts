import type { vehicles } from '@/db/schema';

/** A vehicle row as the browser gets it: times as epoch ms (tRPC sends JSON, not Dates). */
export function vehicleView(row: typeof vehicles.$inferSelect) {
  return { ...row, createdAt: row.createdAt.getTime() };
}
