import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { locationLimits } from '@/domain/location';
import { textOnlyParser } from './text-only-parser';
import type { RealtimeServer } from './types';

/** The Socket.IO server on `http`, tuned for many small JSON messages. */
export function createSocketServer(http: HttpServer, corsOrigins: string): RealtimeServer {
  const io: RealtimeServer = new Server(http, {
    cors: { origin: corsOrigins.split(',').map((o) => o.trim()), credentials: false },
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
  return io;
}
