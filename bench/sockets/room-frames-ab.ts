import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveDriver } from '@/domain/realtime-contract';
import { encodeRoomFrame, sendRoomFrames } from '@/server/realtime/room-frames';
import { createSocketServer } from '@/server/realtime/socket-server';

/**
 * `npx tsx bench/sockets/room-frames-ab.ts [clients=2000] [roomsPerClient=1]`: realtime's CPU per
 * message delivered, Socket.IO's room emit against room frames (ADR 0020), alternating rounds in
 * one process on one Socket.IO server built like realtime's. CPU time (user + system) rather than
 * a rate, so that a busy machine changes the figures less than it changes throughput.
 */
const clients = Number(process.argv[2] ?? 2_000);
const roomsPerClient = Number(process.argv[3] ?? 1);
const cells = 40;
const ticks = 60;
const rounds = 6;

const http = createServer();
const io = createSocketServer(http, 'http://localhost');
io.on('connection', (socket) => {
  const first = (socket.handshake.auth as { room: number }).room;
  for (let j = 0; j < roomsPerClient; j++) void socket.join(`cell:${(first + j) % cells}`);
});
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const port = (http.address() as AddressInfo).port;
const child = fork(new URL('./raw-clients-child.ts', import.meta.url).pathname, [
  `ws://127.0.0.1:${port}`,
  String(clients),
]);
let received = 0;
await new Promise<void>((resolve) =>
  child.on('message', (m: { ready?: boolean; received?: number }) => {
    if (m.ready) resolve();
    if (m.received !== undefined) received = m.received;
  }),
);

const driver = (k: number): LiveDriver => ({
  driverId: `5b0e7c1e-8d7a-4c1e-9a57-2f0c3c1d9e${String(k).padStart(2, '0')}`,
  lat: 12.971612345,
  lng: 77.594612345,
  state: 'available',
  vehicleTypeId: 'e1a2b3c4-0000-4000-8000-000000000001',
  lastSeenAt: Date.now(),
  seq: 42,
  at: Date.now(),
});

function tick(variant: 'emit' | 'frames'): void {
  const sentAt = Date.now();
  const frame = (c: number) => ({ drivers: [driver(c), driver(c + 1), driver(c + 2)], sentAt });
  if (variant === 'emit')
    for (let c = 0; c < cells; c++) io.local.to(`cell:${c}`).emit('drivers:moved', frame(c));
  else
    sendRoomFrames(
      io,
      Array.from({ length: cells }, (_, c) => encodeRoomFrame(`cell:${c}`, 'drivers:moved', frame(c))),
    );
}

const usPerMessage: Record<'emit' | 'frames', number[]> = { emit: [], frames: [] };
for (let round = 0; round < rounds; round++) {
  for (const variant of ['emit', 'frames'] as const) {
    const before = received;
    const expected = ticks * clients * roomsPerClient;
    const cpu = process.cpuUsage();
    for (let t = 0; t < ticks; t++) {
      tick(variant);
      await new Promise((resolve) => setImmediate(resolve));
    }
    while (received - before < expected) await new Promise((resolve) => setTimeout(resolve, 20));
    const used = process.cpuUsage(cpu);
    usPerMessage[variant].push((used.user + used.system) / expected);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(
  JSON.stringify({
    clients,
    roomsPerClient,
    medianUsPerMessage: { emit: median(usPerMessage.emit), frames: median(usPerMessage.frames) },
    rounds: usPerMessage,
  }),
);
child.kill();
void io.close();
process.exit(0);
