import { createServer, type Server as HttpServer } from 'node:http';
import type { Consumer, Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { Server } from 'socket.io';
import { bookingEventMessageSchema } from '@/domain/booking-events';
import type { DriverStateEvent } from '@/domain/driver-events';
import { locationLimits } from '@/domain/location';
import type { LiveDriver } from '@/domain/realtime-contract';
import { rooms } from '@/domain/realtime-contract';
import type { RealtimeEnv } from '../env';
import type { HealthReport } from '../infra/health';
import { groupId, type TopicNames } from '../infra/kafka';
import { parseJson, startConsumer, startMessageSpan } from '../infra/kafka-consumer';
import { unpackLocationFrame } from '../infra/location-frames';
import type { LocationTracing } from '../infra/location-tracing';
import type { Logger } from '../infra/logger';
import { opsRequestHandler } from '../infra/ops-http';
import type { Database } from '../infra/postgres';
import { tracerFor } from '../infra/trace-context';
import type { LocationIngestor } from '../services/location/ingest-location-batch';
import type { Clock } from '../services/ports';
import { fail } from './ack';
import { BookingFanout } from './booking-fanout';
import type { FleetView } from './fleet-view';
import { bookingWatchHandler } from './handlers/booking-watch';
import { gatewayBatchHandler } from './handlers/gateway-batch';
import { locationBatchHandler } from './handlers/location-batch';
import { opsWatchHandler } from './handlers/ops-watch';
import type { RealtimeMetrics } from './metrics';
import { OperationsFanout } from './operations-fanout';
import { endAtTokenExpiry } from './session-expiry';
import { startSessionSweep } from './session-sweep';
import { socketAuth } from './socket-auth';
import { rateLimited } from './socket-rate-limit';
import { textOnlyParser } from './text-only-parser';
import type { RealtimeServer, RealtimeSocket } from './types';

export interface RealtimeDeps {
  env: Pick<
    RealtimeEnv,
    'SOCKET_TOKEN_SECRET' | 'REALTIME_CORS_ORIGINS' | 'FANOUT_INTERVAL_MS' | 'KAFKA_TOPIC_PREFIX'
  >;
  instanceId: string;
  logger: Logger;
  db: Database;
  kafka: Kafka;
  topics: TopicNames;
  clock: Clock;
  ingestor: LocationIngestor;
  fleet: FleetView;
  /** Where the fleet view starts from (the live index), before Kafka takes over. */
  hydrate: () => Promise<LiveDriver[]>;
  staleAfterMs: number;
  health: () => Promise<HealthReport>;
  registry: Registry;
  metrics: RealtimeMetrics;
  /** Ends an offer whose driver cannot be reached (use case expireOffer). */
  expireOffer: (bookingId: string, offerSeq: number, reason: string) => Promise<unknown>;
  /** Publishes supply (available drivers per res-7 cell) for surge pricing. */
  publishSupply: (supply: Map<string, number>) => Promise<void>;
  /** How often open sockets are checked against their sessions (default 30 s). */
  sessionSweepMs?: number;
  /** Traces a share of location batches (their frames carry the trace to the consumers). */
  locationTraces?: LocationTracing;
}

export interface RealtimeHandle {
  http: HttpServer;
  io: RealtimeServer;
  fanout: OperationsFanout;
  fleet: FleetView;
  /** Stops taking connections, tells clients to reconnect elsewhere, stops reading Kafka. */
  close(): Promise<void>;
}

/** How long a closing instance keeps answering after telling its clients to reconnect. */
const shutdownGraceMs = 1_000;

/** Builds the realtime process: HTTP (health) + Socket.IO + its own Kafka reader. */
export async function createRealtime(deps: RealtimeDeps): Promise<RealtimeHandle> {
  const { fleet } = deps;
  // (created below, once io exists)
  let bookingFanout!: BookingFanout;
  const http = createServer(opsRequestHandler({ health: deps.health, metrics: deps.registry }));
  const io: RealtimeServer = new Server(http, {
    cors: { origin: deps.env.REALTIME_CORS_ORIGINS.split(',').map((o) => o.trim()), credentials: false },
    maxHttpBufferSize: locationLimits.maxMessageBytes,
    pingInterval: 20_000,
    pingTimeout: 20_000,
    // Per-message deflate costs CPU on every frame for small JSON; not worth it here.
    perMessageDeflate: false,
    parser: textOnlyParser,
  });
  // Engine.IO keeps each session's first HTTP request; nothing here needs it after the handshake,
  // and dropping it saves several KiB per connection (Socket.IO's documented memory advice).
  io.engine.on('connection', (raw: { request: unknown }) => {
    raw.request = null;
  });
  const tracer = tracerFor('realtime');
  bookingFanout = new BookingFanout(io, fleet, {
    offerAckMs: 5_000,
    tracer,
    onOutcome: (what) =>
      what === 'update' ? deps.metrics.bookingUpdates.inc() : deps.metrics.offers.inc({ outcome: what }),
    onUnreachable: (bookingId, offerSeq, reason) => {
      deps
        .expireOffer(bookingId, offerSeq, reason)
        .catch((err: unknown) => deps.logger.warn({ err, bookingId }, 'could not end an unreachable offer'));
    },
  });
  io.use(socketAuth({ db: deps.db, clock: deps.clock, secret: deps.env.SOCKET_TOKEN_SECRET }));
  // Handlers are created once and receive each socket as `this`: 10,000 connections must not
  // mean 10,000 sets of closures.
  const count = (kind: string) => (result: string) => deps.metrics.batches.inc({ kind, result });
  const now = () => deps.clock.now();
  const limitedCount = () => deps.metrics.batches.inc({ kind: 'any', result: 'rate_limited' });
  // Shutdown (T19): messages being handled when it starts are answered before sockets close;
  // messages arriving after it are refused at once, so clients re-send them elsewhere.
  let closing = false;
  const inFlight = new Set<Promise<unknown>>();
  type Handler = (this: RealtimeSocket, payload: unknown, ack: unknown) => unknown;
  const drained = (handler: Handler): Handler =>
    function (this: RealtimeSocket, payload: unknown, ack: unknown) {
      if (closing) {
        if (typeof ack === 'function')
          ack(fail('UNAVAILABLE', 'This server is restarting; send again once reconnected'));
        return;
      }
      const result = handler.call(this, payload, ack);
      if (result instanceof Promise) {
        inFlight.add(result);
        const done = () => inFlight.delete(result);
        result.then(done, done);
      }
      return result;
    };
  const handlers = {
    locationBatch: drained(
      rateLimited(
        'location:batch',
        locationBatchHandler(deps.ingestor, deps.logger, count('phone'), deps.locationTraces),
        now,
        limitedCount,
      ),
    ),
    gatewayBatch: drained(
      rateLimited(
        'location:gateway-batch',
        gatewayBatchHandler(deps.ingestor, deps.logger, count('gateway'), deps.locationTraces),
        now,
        limitedCount,
      ),
    ),
    opsWatch: drained(rateLimited('ops:watch', opsWatchHandler(fleet, deps.clock), now, limitedCount)),
    bookingWatch: drained(rateLimited('booking:watch', bookingWatchHandler(deps.db), now, limitedCount)),
    disconnect(this: RealtimeSocket) {
      const { principal } = this.data;
      deps.metrics.connections.dec({ role: principal.role });
      if (principal.role === 'driver') {
        deps.ingestor.forget(principal.userId);
        // A restart is not the driver going away: their phone reconnects to another instance,
        // so a ringing offer keeps ringing (it still ends at its deadline).
        if (!closing) bookingFanout.onDriverDisconnected(principal.userId);
      }
    },
  };
  type Listener = (...args: unknown[]) => void;
  io.on('connection', (socket) => {
    const { principal } = socket.data;
    // The token string is not needed once verified.
    socket.handshake.auth = {};
    if (principal.role !== 'gateway') void socket.join(rooms.user(principal.userId));
    if (principal.role === 'driver') void socket.join(rooms.driver(principal.userId));
    endAtTokenExpiry(socket, deps.clock.now());
    deps.metrics.connections.inc({ role: principal.role });
    socket.on('location:batch', handlers.locationBatch as unknown as Listener);
    socket.on('location:gateway-batch', handlers.gatewayBatch as unknown as Listener);
    socket.on('ops:watch', handlers.opsWatch as unknown as Listener);
    socket.on('booking:watch', handlers.bookingWatch as unknown as Listener);
    socket.on('disconnect', handlers.disconnect as unknown as Listener);
  });

  const fanout = new OperationsFanout(io, fleet, deps.clock, {
    intervalMs: deps.env.FANOUT_INTERVAL_MS,
    densityEveryMs: 2_000,
    staleAfterMs: deps.staleAfterMs,
    onFrame: () => deps.metrics.fanoutFrames.inc(),
    onDriverMoved: (entry) => bookingFanout.onDriverMoved(entry),
  });
  // Surge needs supply per cell; this instance's fleet view has it (every instance's does).
  const supplyTimer = setInterval(() => {
    const supply = new Map<string, number>();
    for (const c of fleet.density(deps.clock.now(), deps.staleAfterMs))
      if (c.available > 0) supply.set(c.cell, c.available);
    deps
      .publishSupply(supply)
      .catch((err: unknown) => deps.logger.warn({ err }, 'surge supply not published'));
  }, 10_000);
  // Each instance start has its own group: every instance sees every event, starting from "now";
  // a reconnecting client loads a snapshot for what it missed.
  // Two readers: positions arrive in bulk (25k/s at peak) and must not hold up the rare events
  // people wait for (an offer, a booking step, a driver going offline) behind their backlog.
  const group = groupId(deps.env.KAFKA_TOPIC_PREFIX, `realtime-${deps.instanceId}`);
  const consumer: Consumer = await startConsumer({
    kafka: deps.kafka,
    groupId: group,
    topics: [deps.topics.driverLocation],
    logger: deps.logger,
    // Committing does not make a restarted instance replay (each start is a new group, reading from
    // "now"); it makes a rebalance under load resume where it was instead of skipping to the end.
    commit: true,
    handle: async (messages) => {
      fanout.onLocations(messages.flatMap(unpackLocationFrame));
    },
  });
  const eventsConsumer: Consumer = await startConsumer({
    kafka: deps.kafka,
    groupId: groupId(deps.env.KAFKA_TOPIC_PREFIX, `realtime-${deps.instanceId}-events`),
    topics: [deps.topics.driverEvents, deps.topics.bookingEvents],
    logger: deps.logger,
    commit: true,
    handle: async (messages, { topic, partition }) => {
      if (topic === deps.topics.bookingEvents) {
        for (const m of messages) {
          const parsed = bookingEventMessageSchema.safeParse(parseJson(m));
          if (parsed.success) {
            // The emits join the event's trace (a consumer span per traced message).
            const traced = startMessageSpan(tracer, m, { topic, partition, group });
            try {
              bookingFanout.onEvent(parsed.data, traced?.context);
            } finally {
              traced?.span.end();
            }
          } else deps.logger.warn({ offset: m.offset }, 'skipping malformed booking event');
        }
      } else {
        for (const m of messages) {
          const event = parseJson<DriverStateEvent>(m);
          if (event?.type !== 'driver.state') continue;
          fanout.onStateEvent(event);
          deps.ingestor.applyDutyChange(event);
        }
      }
    },
  });

  // Join Kafka first (from "now"), then load the index: anything newer than the snapshot
  // arrives through Kafka, and the fleet view keeps whichever is newer per driver.
  fleet.hydrate(await deps.hydrate());
  fanout.start();
  const stopSessionSweep = startSessionSweep(io, deps.db, now, deps.logger, deps.sessionSweepMs);

  return {
    http,
    io,
    fanout,
    fleet,
    async close() {
      closing = true;
      // No new connections (behind a balancer they go to another instance); tell every client to
      // reconnect; answer what is being handled and, for a round trip's time, refuse what still
      // arrives (a message the client sent before it heard us); only then close the sockets.
      http.close();
      fanout.stop();
      stopSessionSweep();
      clearInterval(supplyTimer);
      io.local.emit('session:ended', { reason: 'server_shutdown' });
      const grace = new Promise((resolve) => setTimeout(resolve, shutdownGraceMs));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([Promise.allSettled([...inFlight]), grace]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, 10_000);
        }),
      ]);
      clearTimeout(timer);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await consumer.disconnect();
      await eventsConsumer.disconnect();
    },
  };
}
