import { createServer, type Server as HttpServer } from 'node:http';
import type { Registry } from 'prom-client';
import type { LiveDriver } from '@/domain/realtime-contract';
import type { RealtimeEnv } from '../env';
import type { HealthReport } from '../infra/health';
import type { KafkaPort, TopicNames } from '../infra/kafka';
import type { LocationTracing } from '../infra/location-tracing';
import type { Logger } from '../infra/logger';
import { opsRequestHandler } from '../infra/ops-http';
import type { Database } from '../infra/postgres';
import { tracerFor } from '../infra/trace-context';
import type { LocationIngestor } from '../services/location/ingest-location-batch';
import type { Clock } from '../services/ports';
import { BookingFanout } from './booking-fanout';
import { welcomeSockets } from './connections';
import { clientEvents } from './events/client-events';
import type { FleetView } from './fleet-view';
import { routeKafkaToRooms } from './kafka-to-rooms';
import { countEventOutcome, type RealtimeMetrics } from './metrics';
import { OperationsFanout } from './operations-fanout';
import { startSessionSweep } from './session-sweep';
import { socketAuth } from './socket-auth';
import { SocketEventPipeline } from './socket-pipeline';
import { createSocketServer } from './socket-server';
import { startSupplyPublisher } from './supply-publisher';
import type { RealtimeServer } from './types';

export interface RealtimeDeps {
  env: Pick<
    RealtimeEnv,
    'SOCKET_TOKEN_SECRET' | 'REALTIME_CORS_ORIGINS' | 'FANOUT_INTERVAL_MS' | 'KAFKA_TOPIC_PREFIX'
  >;
  instanceId: string;
  logger: Logger;
  db: Database;
  kafka: KafkaPort;
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
/** How long it waits at most for the events being handled. */
const shutdownMaxMs = 10_000;

/** Builds the realtime process: HTTP (health) + Socket.IO + its own Kafka reader. */
export async function createRealtime(deps: RealtimeDeps): Promise<RealtimeHandle> {
  const { fleet, clock, metrics, logger } = deps;
  const now = () => clock.now();
  const tracer = tracerFor('realtime');
  const http = createServer(opsRequestHandler({ health: deps.health, metrics: deps.registry }));
  const io = createSocketServer(http, deps.env.REALTIME_CORS_ORIGINS);
  const bookingFanout = new BookingFanout(io, fleet, {
    offerAckMs: 5_000,
    tracer,
    onOutcome: (what) =>
      what === 'update' ? metrics.bookingUpdates.inc() : metrics.offers.inc({ outcome: what }),
    onUnreachable: (bookingId, offerSeq, reason) => {
      deps
        .expireOffer(bookingId, offerSeq, reason)
        .catch((err: unknown) => logger.warn({ err, bookingId }, 'could not end an unreachable offer'));
    },
  });
  const fanout = new OperationsFanout(io, fleet, clock, {
    intervalMs: deps.env.FANOUT_INTERVAL_MS,
    densityEveryMs: 2_000,
    staleAfterMs: deps.staleAfterMs,
    onFrame: () => metrics.fanoutFrames.inc(),
    onDriverMoved: (entry) => bookingFanout.onDriverMoved(entry),
  });

  const pipeline = new SocketEventPipeline({
    now,
    logger,
    onOutcome: (event, outcome) => countEventOutcome(metrics, event, outcome),
  });
  const events = clientEvents({ ...deps, traces: deps.locationTraces }).map((e) => ({
    event: e.event,
    listener: e.listen(pipeline),
  }));
  const welcome = welcomeSockets({ ...deps, bookingFanout, draining: () => pipeline.draining });
  io.use(socketAuth({ db: deps.db, clock, secret: deps.env.SOCKET_TOKEN_SECRET }));
  io.on('connection', (socket) => {
    welcome(socket);
    for (const { event, listener } of events) socket.on(event, listener);
  });

  const stopSupply = startSupplyPublisher({ ...deps, publish: deps.publishSupply });
  const stopKafka = await routeKafkaToRooms({
    ...deps,
    topicPrefix: deps.env.KAFKA_TOPIC_PREFIX,
    tracer,
    fanout,
    bookingFanout,
  });
  // Join Kafka first (from "now"), then load the index: anything newer than the snapshot
  // arrives through Kafka, and the fleet view keeps whichever is newer per driver.
  fleet.hydrate(await deps.hydrate());
  fanout.start();
  const stopSessionSweep = startSessionSweep(io, deps.db, now, logger, deps.sessionSweepMs);

  return {
    http,
    io,
    fanout,
    fleet,
    async close() {
      // Shutdown (T19): from now on events are refused. No new connections (behind a balancer
      // they go to another instance); tell every client to reconnect; answer what is being
      // handled and, for a round trip's time, refuse what still arrives; only then close.
      const drained = pipeline.drain(shutdownGraceMs, shutdownMaxMs);
      http.close();
      fanout.stop();
      stopSessionSweep();
      stopSupply();
      io.local.emit('session:ended', { reason: 'server_shutdown' });
      await drained;
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await stopKafka();
    },
  };
}
