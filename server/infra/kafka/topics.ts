/**
 * Every topic the platform uses, with its partition count. Auto-creation is off on the broker:
 * a typo in a topic name fails loudly instead of creating a one-partition topic.
 * Keys, partitions and retention are explained in docs/decisions/0002-kafka-topics-and-keys.md.
 */
export const topicSpecs = {
  driverLocation: { name: 'driver.location', partitions: 8, retentionMs: 24 * 3_600_000 },
  driverEvents: { name: 'driver.events', partitions: 4, retentionMs: 7 * 24 * 3_600_000 },
  bookingEvents: { name: 'booking.events', partitions: 4, retentionMs: 7 * 24 * 3_600_000 },
} as const;

export type TopicKey = keyof typeof topicSpecs;
export type TopicNames = Record<TopicKey, string>;

/** Consumer groups are namespaced like topics, so stacks sharing a broker never share a group. */
export function groupId(prefix: string, name: string): string {
  return `${prefix}${name}`;
}

export function topicNames(prefix: string): TopicNames {
  const names = {} as TopicNames;
  for (const key of Object.keys(topicSpecs) as TopicKey[]) names[key] = `${prefix}${topicSpecs[key].name}`;
  return names;
}
