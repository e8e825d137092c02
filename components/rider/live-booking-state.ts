/**
 * The rules a live booking view follows when answers and events arrive out of order (a reload
 * racing a later one, a Kafka event older than a snapshot): versions only move forward, and a
 * driver position never goes back in time. Pure.
 */
export function newerView<T extends { version: number }>(current: T | null, incoming: T): T {
  return current && current.version > incoming.version ? current : incoming;
}

export function isNewUpdate(knownVersion: number, update: { version: number }): boolean {
  return update.version > knownVersion;
}

export function newerPosition<T extends { at: number }>(current: T | null, incoming: T): T {
  return current && current.at > incoming.at ? current : incoming;
}
