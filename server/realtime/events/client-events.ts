import type { Database } from '../../infra/postgres';
import type { Clock } from '../../services/ports';
import type { FleetView } from '../fleet-view';
import type { SocketEvent } from '../socket-event';
import { bookingWatchEvent } from './booking-watch';
import {
  gatewayBatchEvent,
  gatewayFrameEvent,
  type LocationEventsDeps,
  phoneBatchEvent,
} from './location-batches';
import { opsWatchEvent } from './ops-watch';

/** Every client → server event of the contract, with what its use case needs. */
export function clientEvents(
  deps: LocationEventsDeps & { db: Database; fleet: FleetView; clock: Clock },
): SocketEvent[] {
  return [
    phoneBatchEvent(deps),
    gatewayBatchEvent(deps),
    gatewayFrameEvent(deps),
    opsWatchEvent(deps),
    bookingWatchEvent(deps),
  ];
}
