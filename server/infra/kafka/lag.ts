import type { KafkaAdmin } from './port';

export interface GroupTopics {
  groupId: string;
  topics: string[];
  /** Reported under this name instead of the group id (a group whose id changes, e.g. per rebuild). */
  label?: string;
}

/**
 * Messages not yet committed per consumer group (sum over partitions of high watermark minus the
 * committed offset; a partition never committed counts from its low watermark). Cached briefly:
 * scrapes must not turn into a stream of admin requests.
 */
export function consumerLagReader(
  admin: KafkaAdmin,
  groupsNow: GroupTopics[] | (() => GroupTopics[]),
  cacheMs = 5_000,
) {
  let cached: { at: number; value: Promise<Record<string, number>> } | null = null;
  const read = async (): Promise<Record<string, number>> => {
    const groups = typeof groupsNow === 'function' ? groupsNow() : groupsNow;
    const topics = [...new Set(groups.flatMap((g) => g.topics))];
    const ends = new Map<string, Map<number, { high: number; low: number }>>();
    for (const topic of topics) {
      const offsets = await admin.fetchTopicOffsets(topic);
      ends.set(
        topic,
        new Map(offsets.map((o) => [o.partition, { high: Number(o.high), low: Number(o.low) }])),
      );
    }
    const lag: Record<string, number> = {};
    for (const group of groups) {
      let total = 0;
      for (const { topic, partitions } of await admin.fetchOffsets({
        groupId: group.groupId,
        topics: group.topics,
      })) {
        for (const p of partitions) {
          const end = ends.get(topic)?.get(p.partition);
          if (!end) continue;
          const committed = Number(p.offset);
          total += Math.max(0, end.high - (committed < 0 ? end.low : committed));
        }
      }
      lag[group.label ?? group.groupId] = total;
    }
    return lag;
  };
  return (now = Date.now()): Promise<Record<string, number>> => {
    if (!cached || now - cached.at > cacheMs) {
      const value = read();
      cached = { at: now, value };
      value.catch(() => {
        cached = null;
      });
    }
    return cached.value;
  };
}
