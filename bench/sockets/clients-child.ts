import WebSocket from 'ws';
import { Histogram } from '../lib/histogram';
import { runChild } from '../telemetry/child';

/**
 * Many clients in one process, each watching one viewport cell, counting the position frames
 * delivered and timing each from the server's send time and from its newest position's time
 * (same machine clock).
 *
 * The clients speak the Engine.IO v4 / Socket.IO v5 wire protocol directly over `ws` instead of
 * using socket.io-client: with 10,000 clients on the same 2 cores as the server, the client
 * library's per-message work (decoding every frame fully) cost more CPU than the server spent
 * sending, so the benchmark measured its own clients. Frames are recognised and their timestamps
 * read without a full parse. The server side is the real, unmodified Socket.IO server.
 */
export interface ClientsConfig {
  realtimeUrl: string;
  tokens: string[];
  cells: string[];
  clients: number;
  /** Index of this child's first client, so cells spread the same way across children. */
  offset: number;
  connectPerS: number;
}

export interface ClientsReport {
  connected: number;
  messages: number;
  latency: ReturnType<Histogram['snapshot']>;
  endToEnd: ReturnType<Histogram['snapshot']>;
  measuringMs: number;
}

const framePrefix = '42["drivers:moved",';

/** The largest `"at":<n>` in a frame, and its `"sentAt":<n>`, read by scanning. */
function timestamps(text: string): { sentAt: number; newest: number } {
  let newest = 0;
  let i = text.indexOf('"at":');
  while (i !== -1) {
    const value = Number.parseInt(text.slice(i + 5, i + 18), 10);
    if (value > newest) newest = value;
    i = text.indexOf('"at":', i + 5);
  }
  const s = text.lastIndexOf('"sentAt":');
  return { sentAt: s === -1 ? 0 : Number.parseInt(text.slice(s + 9, s + 22), 10), newest };
}

/**
 * Connects, retrying while the server answers that it cannot check the session right now (its
 * database is shared with everything else on these 2 cores while 10,000 clients sign in).
 */
async function connect(
  url: string,
  token: string,
  cell: string,
  onFrame: (text: string) => void,
): Promise<WebSocket> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectOnce(url, token, cell, onFrame);
    } catch (error) {
      if (attempt >= 10 || !String(error).includes('"UNAVAILABLE"')) throw error;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

function connectOnce(
  url: string,
  token: string,
  cell: string,
  onFrame: (text: string) => void,
): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
    perMessageDeflate: false,
    // The server is under test, not its UTF-8: the clients share its 2 cores.
    skipUTF8Validation: true,
  });
  return new Promise<WebSocket>((resolve, reject) => {
    let watching = false;
    ws.on('message', (data) => {
      const text = data.toString();
      if (text === '2') return ws.send('3'); // Engine.IO ping → pong
      if (text.startsWith(framePrefix)) return onFrame(text);
      if (text.startsWith('0{')) return ws.send(`40${JSON.stringify({ token })}`); // open → Socket.IO CONNECT with auth
      if (text.startsWith('40{')) return ws.send(`420${JSON.stringify(['ops:watch', { cells: [cell] }])}`); // connected → watch (ack id 0)
      if (text.startsWith('44')) return reject(new Error(`refused: ${text.slice(2)}`)); // CONNECT_ERROR
      if (text.startsWith('430') && !watching) {
        watching = true;
        return text.includes('"ok":true') ? resolve(ws) : reject(new Error(`ops:watch refused: ${text}`));
      }
    });
    ws.once('error', reject);
  }).catch((error: unknown) => {
    ws.terminate();
    throw error;
  });
}

void runChild<ClientsConfig>(async (config) => {
  const sockets: WebSocket[] = [];
  const latency = new Histogram();
  const endToEnd = new Histogram();
  let messages = 0;
  let measuring = false;
  let startedAt = 0;

  const onFrame = (text: string) => {
    if (!measuring) return;
    const now = Date.now();
    messages++;
    const { sentAt, newest } = timestamps(text);
    if (sentAt) latency.record(Math.max(0, now - sentAt));
    if (newest) endToEnd.record(Math.max(0, now - newest));
  };

  const batch = Math.max(1, Math.round(config.connectPerS / 10));
  for (let i = 0; i < config.clients; i += batch) {
    const started = Date.now();
    const opened = await Promise.all(
      Array.from({ length: Math.min(batch, config.clients - i) }, (_, k) => {
        const n = config.offset + i + k;
        return connect(
          config.realtimeUrl,
          config.tokens[n % config.tokens.length]!,
          config.cells[n % config.cells.length]!,
          onFrame,
        );
      }),
    );
    sockets.push(...opened);
    const spent = Date.now() - started;
    if (spent < 100) await new Promise((r) => setTimeout(r, 100 - spent));
  }

  return {
    detail: { connected: sockets.length },
    start() {
      measuring = true;
      startedAt = performance.now();
    },
    stop() {
      measuring = false;
      for (const s of sockets) s.terminate();
    },
    report(): ClientsReport {
      return {
        connected: sockets.filter((s) => s.readyState === WebSocket.OPEN).length,
        messages,
        latency: latency.snapshot(),
        endToEnd: endToEnd.snapshot(),
        measuringMs: performance.now() - startedAt,
      };
    },
  };
});
