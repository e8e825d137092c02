import { defaultPresencePolicy } from '@/domain/driver-availability';
import { type DriverStateEvent, driverStateEventSchema } from '@/domain/driver-events';
import { NearestDriverIndex } from '@/domain/nearest-index';
import { readLiveIndexEntries } from '@/server/adapters/live-index-entries';
import type { RunningConsumer } from '@/server/infra/kafka';
import { committedPosition, groupId, parseJson, placeGroup, startConsumer } from '@/server/infra/kafka';
import { unpackLocationFrame } from '@/server/infra/location-frames';
import type { Redis } from '@/server/infra/redis';
import { feedNearestIndex } from '@/server/services/location/feed-nearest-index';
import { warmNearestIndex } from '@/server/services/location/warm-nearest-index';
import type { WorkerConsumerDeps } from './kit/start-worker-consumer';

export interface NearestIndexFeedDeps extends Omit<WorkerConsumerDeps, 'metrics'> {
  redis: Redis;
  redisPrefix: string;
  /** Names this process's own consumer groups: every instance reads every partition. */
  instanceId: string;
  onApplied?: (positions: number) => void;
}

export interface NearestIndexFeed {
  index: NearestDriverIndex;
  /** Drivers loaded from Redis at start; how long until loaded, and until both readers joined. */
  warm: { drivers: number; ms: number; snapshotMs: number };
  close(): Promise<void>;
}

const pruneEveryMs = 60_000;

/**
 * Builds this process's in-memory nearest-driver index and keeps it current (ADR 0018):
 * 1. read where the `live-index` group stands (everything before is in Redis),
 * 2. load every online driver from the Redis live index,
 * 3. read `driver.location` and `driver.events` from the offsets of step 1 in groups of this
 *    instance (replayed changes are harmless: versions and sequence numbers).
 * Resolves once both readers joined, so dispatch never asks a cold index.
 */
export async function startNearestIndexFeed(deps: NearestIndexFeedDeps): Promise<NearestIndexFeed> {
  const started = performance.now();
  const index = new NearestDriverIndex({ staleAfterMs: defaultPresencePolicy.staleAfterMs });
  const admin = deps.kafka.admin();
  await admin.connect();
  const consumers: RunningConsumer[] = [];
  try {
    const source = groupId(deps.topicPrefix, 'live-index');
    const positionsAt = await committedPosition(admin, source, [deps.topics.driverLocation]);
    const eventsAt = await committedPosition(admin, source, [deps.topics.driverEvents]);
    const drivers = warmNearestIndex(index, await readLiveIndexEntries(deps.redis, deps.redisPrefix));
    const snapshotMs = Math.round(performance.now() - started);
    const positionsGroup = groupId(deps.topicPrefix, `nearest-${deps.instanceId}`);
    const eventsGroup = groupId(deps.topicPrefix, `nearest-${deps.instanceId}-events`);
    await placeGroup(admin, positionsGroup, positionsAt);
    await placeGroup(admin, eventsGroup, eventsAt);
    // Two readers, as in realtime: a backlog of positions must not hold up an offer's state change.
    // They join at the same time (a new group waits out the broker's initial rebalance delay).
    const joined = await Promise.allSettled([
      startConsumer({
        kafka: deps.kafka,
        groupId: positionsGroup,
        topics: [deps.topics.driverLocation],
        logger: deps.logger,
        commit: true,
        handle: async (messages) => {
          // A frame at a time, letting queries in between: a busy batch holds thousands of
          // positions, and a query waiting behind all of them would wait milliseconds.
          for (const m of messages) {
            const { applied } = feedNearestIndex(index, { positions: unpackLocationFrame(m) });
            deps.onApplied?.(applied);
            await new Promise((resolve) => setImmediate(resolve));
          }
        },
      }),
      startConsumer({
        kafka: deps.kafka,
        groupId: eventsGroup,
        topics: [deps.topics.driverEvents],
        logger: deps.logger,
        commit: true,
        handle: async (messages) => {
          const events: DriverStateEvent[] = [];
          for (const m of messages) {
            const parsed = driverStateEventSchema.safeParse(parseJson(m));
            if (parsed.success) events.push(parsed.data);
          }
          feedNearestIndex(index, { events });
        },
      }),
    ]);
    for (const j of joined) if (j.status === 'fulfilled') consumers.push(j.value);
    for (const j of joined) if (j.status === 'rejected') throw j.reason;
    const prune = setInterval(() => {
      const now = Date.now();
      index.prune(now - defaultPresencePolicy.offlineAfterMs, now - 86_400_000);
    }, pruneEveryMs);
    prune.unref();
    const ms = Math.round(performance.now() - started);
    deps.logger.info({ drivers, ms, snapshotMs }, 'nearest-driver index warm');
    return {
      index,
      warm: { drivers, ms, snapshotMs },
      async close() {
        clearInterval(prune);
        for (const c of consumers) await c.disconnect();
      },
    };
  } catch (error) {
    for (const c of consumers) await c.disconnect().catch(() => undefined);
    throw error;
  } finally {
    await admin.disconnect();
  }
}
