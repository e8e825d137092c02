import { PacketType } from 'socket.io-parser';
import type { ServerToClientEvents } from '@/domain/realtime-contract';
import { textOnlyParser } from './text-only-parser';
import type { RealtimeServer } from './types';

/**
 * Room frames: the fan-out's hot path, written to each socket without Socket.IO's per-socket
 * machinery (docs/decisions/0020-room-frames.md).
 *
 * Socket.IO already encodes a room broadcast once, but then pays per socket for a packet object,
 * its write buffer, `flush`/`drain` events, a two-buffer `writev` and a send callback; in the
 * sockets benchmark that was ~40 % of realtime's CPU beside the kernel's write itself. Here an
 * event is encoded once per room into its complete WebSocket frame (the exact bytes Socket.IO would
 * send: Engine.IO `4`, Socket.IO `2`, the JSON array), and each socket gets one write per tick
 * holding every frame of the tick for it (a dispatcher watching seven cells: one write, not seven).
 * The wire protocol is unchanged: clients keep socket.io-client and its default parser.
 */
export interface RoomFrame {
  room: string;
  /** The Socket.IO packet as text (for sockets that must go through Engine.IO). */
  packet: string;
  /** The whole WebSocket text frame of the Engine.IO message. */
  wire: Buffer;
}

const encoder = new textOnlyParser.Encoder();

/** Encodes `event` for `room` once; the frame can then go to every socket in the room. */
export function encodeRoomFrame<E extends keyof ServerToClientEvents>(
  room: string,
  event: E,
  payload: Parameters<ServerToClientEvents[E]>[0],
): RoomFrame {
  const [packet] = encoder.encode({ type: PacketType.EVENT, nsp: '/', data: [event, payload] });
  // "4" is Engine.IO's message packet type.
  return { room, packet: packet as string, wire: webSocketTextFrame(`4${packet}`) };
}

/** An unmasked, final WebSocket text frame (RFC 6455 §5.2), as a server sends it. */
export function webSocketTextFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81; // FIN + opcode 1 (text)
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(text, header, 'utf8');
  return frame;
}

/**
 * Sends each frame to the sockets of its room on this instance (`io.local`: the in-memory
 * adapter's rooms are local); a socket in several rooms gets its frames in one write, in the order
 * given. Returns the number of messages handed to sockets.
 */
export function sendRoomFrames(io: RealtimeServer, frames: readonly RoomFrame[]): number {
  const rooms = io.sockets.adapter.rooms;
  const sockets = io.sockets.sockets;
  let messages = 0;
  if (frames.length === 1) {
    const frame = frames[0]!;
    const single = [frame];
    for (const id of rooms.get(frame.room) ?? []) {
      const socket = sockets.get(id);
      if (socket) messages += deliver(socket.conn as unknown as EngineConnection, single);
    }
    return messages;
  }
  const perSocket = new Map<string, RoomFrame[]>();
  for (const frame of frames) {
    for (const id of rooms.get(frame.room) ?? []) {
      const list = perSocket.get(id);
      if (list) list.push(frame);
      else perSocket.set(id, [frame]);
    }
  }
  for (const [id, list] of perSocket) {
    const socket = sockets.get(id);
    if (socket) messages += deliver(socket.conn as unknown as EngineConnection, list);
  }
  return messages;
}

/** The parts of engine.io's Socket and of ws used here (engine.io's own pre-encoded path uses them). */
interface EngineConnection {
  readyState: string;
  writeBuffer: unknown[];
  transport: {
    name: string;
    writable: boolean;
    socket?: { readyState: number; _socket?: TcpSocket | null };
  };
  write(data: string, options: { compress: boolean }): void;
}

interface TcpSocket {
  cork(): void;
  uncork(): void;
  write(chunk: Buffer): boolean;
}

const wsOpen = 1;

function deliver(conn: EngineConnection, frames: readonly RoomFrame[]): number {
  const tcp = directSocket(conn);
  if (tcp && frames.length === 1) tcp.write(frames[0]!.wire);
  else if (tcp) {
    // One writev of the shared frames: no per-socket copy, even when the socket is backed up.
    tcp.cork();
    for (const f of frames) tcp.write(f.wire);
    tcp.uncork();
  } else if (conn.readyState === 'open') {
    // Polling, mid-upgrade, or Engine.IO holds packets not yet written: queue behind them so
    // the order of everything this socket receives stays the order it was emitted in.
    for (const f of frames) conn.write(f.packet, { compress: false });
  } else return 0;
  return frames.length;
}

/**
 * The TCP socket under the WebSocket, when writing whole frames to it directly is what Engine.IO
 * (through ws's sender, which writes whole frames to it too) would do itself: open, on the
 * WebSocket transport, writable, nothing queued ahead.
 */
function directSocket(conn: EngineConnection): TcpSocket | null {
  const transport = conn.transport;
  if (
    conn.readyState !== 'open' ||
    transport.name !== 'websocket' ||
    !transport.writable ||
    conn.writeBuffer.length > 0
  )
    return null;
  const ws = transport.socket;
  const tcp = ws?.readyState === wsOpen ? ws._socket : null;
  return tcp && typeof tcp.cork === 'function' ? tcp : null;
}
