import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connectClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRoomFrame, sendRoomFrames, webSocketTextFrame } from '@/server/realtime/room-frames';
import { createSocketServer } from '@/server/realtime/socket-server';
import type { RealtimeServer } from '@/server/realtime/types';
import type { TestSocket } from './support/sockets';

/**
 * Room frames bypass Socket.IO's per-socket write path: these check, against a real Socket.IO
 * server built like realtime's and the real socket.io-client, that what arrives is exactly the
 * events emitted (websocket and polling clients alike), in order, and only to each room's members.
 */
let http: HttpServer;
let io: RealtimeServer;
let port: number;
const clients: TestSocket[] = [];

beforeAll(async () => {
  http = createServer();
  io = createSocketServer(http, 'http://localhost');
  io.on('connection', (socket) => {
    // (Rooms come in `auth`: realtime's server drops the handshake request, query included.)
    for (const room of (socket.handshake.auth as { rooms: string[] }).rooms) void socket.join(room);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  port = (http.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const c of clients) c.close();
  await new Promise((resolve) => io.close(resolve));
});

async function client(
  rooms: string[],
  transport: 'websocket' | 'polling' = 'websocket',
): Promise<TestSocket> {
  const socket: TestSocket = connectClient(`http://127.0.0.1:${port}`, {
    transports: [transport],
    reconnection: false,
    forceNew: true,
    auth: { rooms },
  });
  clients.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Every event a socket receives, in order, as [event, payload]. */
function record(socket: TestSocket): [string, unknown][] {
  const got: [string, unknown][] = [];
  socket.onAny((event: string, payload: unknown) => got.push([event, payload]));
  return got;
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const driver = (id: string, lat: number) => ({
  driverId: id,
  lat,
  lng: 77.59,
  state: 'available' as const,
  vehicleTypeId: 'economy',
  lastSeenAt: 1_800_000_000_000,
});

describe('room frames', () => {
  it('frames texts of every length class as RFC 6455 says (7-bit, 16-bit and 64-bit lengths)', () => {
    for (const length of [0, 125, 126, 65_535, 65_536]) {
      const text = 'é'.repeat(Math.floor(length / 2)) + 'x'.repeat(length % 2);
      const frame = webSocketTextFrame(text);
      const bytes = Buffer.byteLength(text);
      expect(frame[0]).toBe(0x81);
      const [header, declared] =
        frame[1]! < 126
          ? [2, frame[1]!]
          : frame[1] === 126
            ? [4, frame.readUInt16BE(2)]
            : [10, Number(frame.readBigUInt64BE(2))];
      expect(declared).toBe(bytes);
      expect(frame.length).toBe(header + bytes);
      expect(frame.subarray(header).toString('utf8')).toBe(text);
    }
  });

  it('delivers each room its frames, a socket in several rooms all of them in order, nobody else any', async () => {
    const [a, b, both, neither] = await Promise.all([
      client(['cell:a']),
      client(['cell:b']),
      client(['cell:a', 'cell:b', 'ops']),
      client(['elsewhere']),
    ]);
    const got = [a, b, both, neither].map(record);
    const frames = [
      encodeRoomFrame('cell:a', 'drivers:moved', { drivers: [driver('d1', 12.9)], sentAt: 1 }),
      encodeRoomFrame('cell:b', 'drivers:moved', {
        drivers: [driver('d2', 13.1), driver('d3', 13)],
        sentAt: 1,
      }),
      encodeRoomFrame('ops', 'ops:density', { resolution: 7, cells: [['87618925fffffff', 2, 1, 0]], at: 2 }),
    ];
    expect(sendRoomFrames(io, frames)).toBe(1 + 1 + 3);
    await until(() => got[0]!.length === 1 && got[1]!.length === 1 && got[2]!.length === 3);
    expect(got[0]).toEqual([['drivers:moved', { drivers: [driver('d1', 12.9)], sentAt: 1 }]]);
    expect(got[1]).toEqual([
      ['drivers:moved', { drivers: [driver('d2', 13.1), driver('d3', 13)], sentAt: 1 }],
    ]);
    expect(got[2]!.map(([event]) => event)).toEqual(['drivers:moved', 'drivers:moved', 'ops:density']);
    expect(got[2]![2]![1]).toEqual({ resolution: 7, cells: [['87618925fffffff', 2, 1, 0]], at: 2 });
    // Anything for "elsewhere" would have arrived with the rest: one more round trip to be sure.
    io.to('elsewhere').emit('driver:state', { driverId: 'x', state: 'paused', at: 3 });
    await until(() => got[3]!.length === 1);
    expect(got[3]!.map(([event]) => event)).toEqual(['driver:state']);
  });

  it('keeps the order of an emit still queued in Engine.IO and the frames written after it', async () => {
    const socket = await client(['cell:c']);
    const got = record(socket);
    // The emit leaves Engine.IO's transport busy until the write completes (next tick), so the
    // frames right after it must queue behind it rather than overtake it.
    for (let i = 0; i < 20; i++) {
      io.to('cell:c').emit('driver:state', { driverId: `s${i}`, state: 'paused', at: i });
      sendRoomFrames(io, [encodeRoomFrame('cell:c', 'drivers:moved', { drivers: [], sentAt: i })]);
    }
    await until(() => got.length === 40);
    const order = got.map(([event, payload]) =>
      event === 'driver:state'
        ? `s${(payload as { at: number }).at}`
        : `m${(payload as { sentAt: number }).sentAt}`,
    );
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => [`s${i}`, `m${i}`]).flat());
  });

  it('reaches a long-polling client through Engine.IO', async () => {
    const socket = await client(['cell:d'], 'polling');
    const got = record(socket);
    expect(sendRoomFrames(io, [encodeRoomFrame('cell:d', 'drivers:moved', { drivers: [], sentAt: 7 })])).toBe(
      1,
    );
    await until(() => got.length === 1);
    expect(got).toEqual([['drivers:moved', { drivers: [], sentAt: 7 }]]);
  });
});
