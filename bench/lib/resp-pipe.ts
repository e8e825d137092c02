import { connect, type Socket } from 'node:net';

/**
 * A raw RESP connection for the pipelined Redis ceilings: commands are encoded once, up front,
 * and written as one buffer, so the figure is what Redis can do rather than how fast a Node
 * client builds command objects (ioredis costs ~1 µs a command in JS, about what Redis spends
 * executing an HSET: on 2 cores we would be measuring the client).
 *
 * Only for commands whose every reply is a single line (integers, simple strings, errors):
 * replies are counted by newlines. A '-' anywhere means an error reply, since these commands'
 * integer replies are never negative.
 */
export function encodeCommand(args: (string | number)[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) {
    const text = String(arg);
    out += `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
  }
  return out;
}

interface Waiting {
  remaining: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class RespPipe {
  private readonly queue: Waiting[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (error) => {
      for (const waiting of this.queue.splice(0)) waiting.reject(error);
    });
  }

  static open(port = 6379, host = '127.0.0.1'): Promise<RespPipe> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => resolve(new RespPipe(socket)));
      socket.setNoDelay(true);
      socket.once('error', reject);
    });
  }

  /** Writes pre-encoded commands; resolves when all `replies` have arrived. */
  send(commands: Buffer, replies: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ remaining: replies, resolve, reject });
      this.socket.write(commands);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (chunk.includes(45)) {
      const error = new Error(
        `Redis error reply: ${chunk.toString('latin1', chunk.indexOf(45), chunk.indexOf(45) + 120)}`,
      );
      for (const waiting of this.queue.splice(0)) waiting.reject(error);
      return;
    }
    let lines = 0;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    while (lines > 0 && this.queue.length > 0) {
      const head = this.queue[0]!;
      const used = Math.min(lines, head.remaining);
      head.remaining -= used;
      lines -= used;
      if (head.remaining === 0) {
        this.queue.shift();
        head.resolve();
      }
    }
  }
}
