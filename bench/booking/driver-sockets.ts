import WebSocket from 'ws';
import { offsetMeters } from '@/domain/geo';
import { nowMs } from '../lib/load-protocol';

/**
 * Driver phones at the protocol level: one WebSocket each, speaking Engine.IO v4 / Socket.IO v5
 * text frames directly (see bench/sockets/clients-child.ts for why not socket.io-client). Each
 * signs in with its socket token, sends a position every `periodMs` with `location:batch` (acked,
 * like the PWA: this is what keeps it fresh in the live index), and answers every `offer:new`
 * with the acknowledgement the app sends, timing its arrival first.
 */
export interface DriverSpec {
  id: string;
  token: string;
  sessionId: string;
  lat: number;
  lng: number;
}

export interface OfferSeen {
  driver: number;
  bookingId: string;
  receivedAtMs: number;
}

export interface DriverSocketStats {
  connected: number;
  pingsSent: number;
  pingsAccepted: number;
  pingsRefused: number;
  offers: number;
  withdrawn: number;
  closedUnexpectedly: number;
}

const slotMs = 50;

export class DriverSockets {
  private readonly sockets: WebSocket[] = [];
  private readonly seq: number[];
  private readonly nextAckId: number[];
  private timer: NodeJS.Timeout | null = null;
  private closing = false;
  readonly stats: DriverSocketStats = {
    connected: 0,
    pingsSent: 0,
    pingsAccepted: 0,
    pingsRefused: 0,
    offers: 0,
    withdrawn: 0,
    closedUnexpectedly: 0,
  };

  constructor(
    private readonly url: string,
    private readonly drivers: DriverSpec[],
    private readonly onOffer: (offer: OfferSeen) => void,
  ) {
    this.seq = drivers.map(() => 0);
    this.nextAckId = drivers.map(() => 0);
  }

  /** Opens every socket, in waves so realtime's accept backlog never overflows. */
  async connect(wave = 100): Promise<void> {
    for (let i = 0; i < this.drivers.length; i += wave) {
      const opened = await Promise.all(
        Array.from({ length: Math.min(wave, this.drivers.length - i) }, (_, k) => this.open(i + k)),
      );
      this.sockets.push(...opened);
    }
    this.stats.connected = this.sockets.length;
  }

  /** One position per driver now (so every driver is placed before dispatch looks), then every `periodMs`. */
  async startPings(periodMs: number): Promise<void> {
    const accepted = this.stats.pingsAccepted;
    for (let i = 0; i < this.sockets.length; i++) this.ping(i);
    const deadline = Date.now() + 30_000;
    while (this.stats.pingsAccepted - accepted < this.sockets.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    if (this.stats.pingsAccepted - accepted < this.sockets.length)
      throw new Error(
        `only ${this.stats.pingsAccepted - accepted} of ${this.sockets.length} first positions accepted`,
      );
    // Driver i pings in slot (i mod slots): an even load, not a burst every period.
    const slots = Math.max(1, Math.round(periodMs / slotMs));
    let slot = 0;
    this.timer = setInterval(() => {
      for (let i = slot; i < this.sockets.length; i += slots) this.ping(i);
      slot = (slot + 1) % slots;
    }, slotMs);
  }

  close(): void {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    for (const s of this.sockets) s.terminate();
  }

  private ping(i: number): void {
    const socket = this.sockets[i]!;
    if (socket.readyState !== WebSocket.OPEN) return;
    const d = this.drivers[i]!;
    // A few metres of GPS jitter around the parking spot: moving, inside every quality filter.
    const at = offsetMeters(d, (Math.random() - 0.5) * 10, (Math.random() - 0.5) * 10);
    const ping = { seq: ++this.seq[i]!, at: Date.now(), lat: at.lat, lng: at.lng, accuracyM: 8 };
    const ackId = this.nextAckId[i]!++;
    socket.send(`42${ackId}${JSON.stringify(['location:batch', { sessionId: d.sessionId, pings: [ping] }])}`);
    this.stats.pingsSent++;
  }

  private open(i: number): Promise<WebSocket> {
    const d = this.drivers[i]!;
    const ws = new WebSocket(`${this.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
      perMessageDeflate: false,
    });
    return new Promise((resolve, reject) => {
      ws.on('message', (data) => {
        const text = data.toString();
        if (text === '2') return ws.send('3'); // Engine.IO ping → pong
        if (text.startsWith('42')) return this.onEvent(i, ws, text);
        if (text.startsWith('43')) {
          // Ack of a location batch: one ping, accepted or dropped (with its reason).
          if (text.includes('"accepted":1')) this.stats.pingsAccepted++;
          else this.stats.pingsRefused++;
          return;
        }
        if (text.startsWith('0{')) return ws.send(`40${JSON.stringify({ token: d.token })}`); // open → CONNECT with auth
        if (text.startsWith('40{')) return resolve(ws);
        if (text.startsWith('44')) return reject(new Error(`driver socket refused: ${text.slice(2)}`));
      });
      ws.once('error', reject);
      ws.on('close', () => {
        if (!this.closing) this.stats.closedUnexpectedly++;
      });
    });
  }

  private onEvent(i: number, ws: WebSocket, text: string): void {
    const receivedAtMs = nowMs();
    const bracket = text.indexOf('[');
    const ackId = text.slice(2, bracket);
    const [event, payload] = JSON.parse(text.slice(bracket)) as [string, { bookingId?: string }];
    if (event === 'offer:new') {
      // The app acknowledges at once (realtime ends an unacknowledged offer after 5 s).
      if (ackId) ws.send(`43${ackId}[{"received":true}]`);
      this.stats.offers++;
      if (payload.bookingId) this.onOffer({ driver: i, bookingId: payload.bookingId, receivedAtMs });
    } else if (event === 'offer:withdrawn') this.stats.withdrawn++;
  }
}
