import type { KafkaAdmin } from './port';

/** Per topic, per partition: the offset of the next message to read. */
export type GroupPosition = Map<string, Map<number, string>>;

/**
 * Where a consumer group stands on each partition of `topics`: its committed offsets, and the
 * oldest retained offset where it never committed (a new group starts from the beginning).
 * Everything before these offsets has been handled by that group's sink.
 */
export async function committedPosition(
  admin: KafkaAdmin,
  groupId: string,
  topics: string[],
): Promise<GroupPosition> {
  const position: GroupPosition = new Map();
  const committed = await admin.fetchOffsets({ groupId, topics });
  for (const { topic, partitions } of committed) {
    const low = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.low]));
    position.set(
      topic,
      new Map(
        partitions.map((p) => [
          p.partition,
          Number(p.offset) >= 0 ? p.offset : (low.get(p.partition) ?? '0'),
        ]),
      ),
    );
  }
  return position;
}

/** Makes a group that has no members yet start reading at `position`. */
export async function placeGroup(admin: KafkaAdmin, groupId: string, position: GroupPosition): Promise<void> {
  for (const [topic, partitions] of position) {
    await admin.setOffsets({
      groupId,
      topic,
      partitions: [...partitions].map(([partition, offset]) => ({ partition, offset })),
    });
  }
}
