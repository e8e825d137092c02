import { type LocationBatch, type LocationPing, locationLimits } from './location';

/**
 * The compact form of a gateway message (`location:gateway-frame`, ADR 0019): the same content as
 * `location:gateway-batch`, as bytes read at fixed offsets instead of JSON parsed into objects and
 * then checked key by key (the JSON form's parse and schema checks were a fifth of realtime's CPU
 * at 25k positions/s). Pure (DataView), so phones, gateways and the server share it.
 *
 *   0 u8 0x00   1 u8 version (1)   2 u16 drivers
 *   per driver: 16 bytes driver id, 16 bytes session id (UUIDs), u8 pings, then per ping 52 bytes:
 *     u32 seq, f64 at, f64 lat, f64 lng, f64 accuracyM, f64 speedMps, f64 headingDeg (NaN = absent)
 * Little-endian. `decodeGatewayFrame` applies exactly the rules of `gatewayBatchSchema`.
 */
export type GatewayDriverBatch = LocationBatch & { driverId: string };

const version = 1;
const headBytes = 4;
const driverHeadBytes = 33;
const pingBytes = 52;

const hex = '0123456789abcdef';
/** Where a UUID's hex digits sit in its 36 characters (dashes at 8, 13, 18, 23). */
const digitAt = Array.from({ length: 36 }, (_, i) => i).filter(
  (i) => i !== 8 && i !== 13 && i !== 18 && i !== 23,
);

function writeUuid(view: DataView, at: number, id: string): void {
  for (let b = 0; b < 16; b++) {
    const pair = id[digitAt[2 * b]!]! + id[digitAt[2 * b + 1]!]!;
    view.setUint8(at + b, Number.parseInt(pair, 16));
  }
}

function readUuid(view: DataView, at: number): string {
  let out = '';
  for (let b = 0; b < 16; b++) {
    if (b === 4 || b === 6 || b === 8 || b === 10) out += '-';
    const byte = view.getUint8(at + b);
    out += hex[byte >> 4]! + hex[byte & 15]!;
  }
  return out;
}

/** What `z.uuid()` accepts: RFC 9562 versions 1–8 with the RFC variant, or the nil and max UUIDs. */
function isUuid(view: DataView, at: number): boolean {
  const versionNibble = view.getUint8(at + 6) >> 4;
  if (versionNibble >= 1 && versionNibble <= 8 && view.getUint8(at + 8) >> 6 === 2) return true;
  let zero = true;
  let max = true;
  for (let b = 0; b < 16; b++) {
    const byte = view.getUint8(at + b);
    zero &&= byte === 0;
    max &&= byte === 255;
  }
  return zero || max;
}

/** The frame of a gateway message. Ids must be UUIDs (as the JSON form requires). */
export function encodeGatewayFrame(drivers: readonly GatewayDriverBatch[]): Uint8Array {
  const size = drivers.reduce((n, d) => n + driverHeadBytes + d.pings.length * pingBytes, headBytes);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint8(1, version);
  view.setUint16(2, drivers.length, true);
  let at = headBytes;
  for (const d of drivers) {
    writeUuid(view, at, d.driverId);
    writeUuid(view, at + 16, d.sessionId);
    view.setUint8(at + 32, d.pings.length);
    at += driverHeadBytes;
    for (const p of d.pings) {
      view.setUint32(at, p.seq, true);
      view.setFloat64(at + 4, p.at, true);
      view.setFloat64(at + 12, p.lat, true);
      view.setFloat64(at + 20, p.lng, true);
      view.setFloat64(at + 28, p.accuracyM ?? Number.NaN, true);
      view.setFloat64(at + 36, p.speedMps ?? Number.NaN, true);
      view.setFloat64(at + 44, p.headingDeg ?? Number.NaN, true);
      at += pingBytes;
    }
  }
  return bytes;
}

export type DecodedGatewayFrame =
  | { ok: true; drivers: GatewayDriverBatch[] }
  | { ok: false; field: string; message: string };

const within = (min: number, max: number) => (v: number) => v >= min && v <= max;
const pingRules: [keyof LocationPing, number, (v: number) => boolean, string][] = [
  ['lat', 12, within(-90, 90), 'must be between -90 and 90'],
  ['lng', 20, within(-180, 180), 'must be between -180 and 180'],
];
const optionalRules: [keyof LocationPing, number, (v: number) => boolean, string][] = [
  ['accuracyM', 28, within(0, 100_000), 'must be between 0 and 100000'],
  ['speedMps', 36, within(0, 1_000), 'must be between 0 and 1000'],
  ['headingDeg', 44, within(0, 360), 'must be between 0 and 360'],
];

/** The drivers' batches of a frame, or the first offending field (named as in the JSON form). */
export function decodeGatewayFrame(bytes: Uint8Array): DecodedGatewayFrame {
  const fail = (field: string, message: string): DecodedGatewayFrame => ({ ok: false, field, message });
  if (bytes.length < headBytes) return fail('frame', 'too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== 0 || view.getUint8(1) !== version) return fail('frame', 'unknown format');
  const count = view.getUint16(2, true);
  if (count < 1 || count > locationLimits.maxGatewayDrivers)
    return fail('drivers', `must hold 1 to ${locationLimits.maxGatewayDrivers} drivers`);
  const drivers: GatewayDriverBatch[] = new Array(count);
  let at = headBytes;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const path = `drivers.${i}`;
    if (at + driverHeadBytes > bytes.length) return fail(path, 'frame ends early');
    if (!isUuid(view, at)) return fail(`${path}.driverId`, 'Invalid UUID');
    if (!isUuid(view, at + 16)) return fail(`${path}.sessionId`, 'Invalid UUID');
    const n = view.getUint8(at + 32);
    if (n < 1 || n > locationLimits.maxPingsPerBatch)
      return fail(`${path}.pings`, `must hold 1 to ${locationLimits.maxPingsPerBatch} pings`);
    total += n;
    const driverId = readUuid(view, at);
    const sessionId = readUuid(view, at + 16);
    at += driverHeadBytes;
    if (at + n * pingBytes > bytes.length) return fail(`${path}.pings`, 'frame ends early');
    const pings: LocationPing[] = new Array(n);
    for (let k = 0; k < n; k++, at += pingBytes) {
      const field = `${path}.pings.${k}`;
      const seq = view.getUint32(at, true);
      if (seq < 1 || seq > 2 ** 31 - 1) return fail(`${field}.seq`, 'must be between 1 and 2147483647');
      const time = view.getFloat64(at + 4, true);
      if (!Number.isSafeInteger(time) || time < 0) return fail(`${field}.at`, 'must be a whole number ≥ 0');
      const ping: LocationPing = { seq, at: time, lat: 0, lng: 0 };
      for (const [key, offset, ok, message] of pingRules) {
        const v = view.getFloat64(at + offset, true);
        if (!ok(v)) return fail(`${field}.${key}`, message);
        (ping as unknown as Record<string, number>)[key] = v;
      }
      for (const [key, offset, ok, message] of optionalRules) {
        const v = view.getFloat64(at + offset, true);
        if (Number.isNaN(v)) continue;
        if (!ok(v)) return fail(`${field}.${key}`, message);
        (ping as unknown as Record<string, number>)[key] = v;
      }
      pings[k] = ping;
    }
    drivers[i] = { driverId, sessionId, pings };
  }
  if (at !== bytes.length) return fail('frame', 'bytes after the last driver');
  if (total > locationLimits.maxGatewayPings)
    return fail('drivers', `at most ${locationLimits.maxGatewayPings} pings per gateway message`);
  return { ok: true, drivers };
}
