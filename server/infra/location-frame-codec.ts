import { type AvailabilityState, availabilityStates } from '@/domain/driver-availability';
import type { LocationRecord } from '@/domain/driver-events';

/**
 * The compact, binary form of a `driver.location` frame (docs/decisions/0019-positions-are-state.md).
 * JSON spent ~280 bytes and a parse of twelve keys per position on each of three consumers;
 * this spends 94 fixed bytes, read at fixed offsets, and lets a reader look at a record's driver
 * before decoding the rest of it (coalescing readers skip superseded positions undecoded).
 *
 *   0  u8   0x00 (a JSON frame starts with `[` or `{`)
 *   1  u8   format version (1)
 *   2  u16  record count n
 *   4  u8   dictionary size m, then m × (u8 length, UTF-8 bytes): the frame's vehicle type ids
 *   …  n ×  94-byte records, little-endian:
 *        0 driver id (16 bytes of the UUID)   16 session id (16)   32 u32 seq
 *       36 f64 at   44 f64 lat   52 f64 lng   60 f64 accuracyM   68 f64 speedMps
 *       76 f64 headingDeg (NaN = absent)      84 f64 receivedAt
 *       92 u8 state (index in availabilityStates)   93 u8 vehicle type (index in the dictionary)
 *
 * Numbers stay f64, so nothing is rounded on the way. Ids must be lower-case canonical UUIDs
 * (what the schemas and PostgreSQL produce); `encodeLocationFrame` answers null otherwise and
 * the caller falls back to JSON.
 */
export const recordBytes = 94;
const version = 1;
const idBytes = 16;
const offsets = { session: 16, seq: 32, at: 36, lat: 44, lng: 52, acc: 60, speed: 68, heading: 76, rx: 84 };
const stateOffset = 92;
const typeOffset = 93;

const nibble = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) nibble[48 + i] = i;
for (let i = 0; i < 6; i++) nibble[97 + i] = 10 + i;
const hexCodes = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
/** Where a UUID's hex digits sit in its 36 characters (dashes at 8, 13, 18, 23). */
const digitAt = Array.from({ length: 36 }, (_, i) => i).filter(
  (i) => i !== 8 && i !== 13 && i !== 18 && i !== 23,
);
const stateIndex = new Map<string, number>(availabilityStates.map((s, i) => [s, i]));

function writeUuid(id: string, out: Buffer, at: number): boolean {
  if (id.length !== 36) return false;
  for (let b = 0; b < idBytes; b++) {
    const hi = nibble[id.charCodeAt(digitAt[2 * b]!)] ?? -1;
    const lo = nibble[id.charCodeAt(digitAt[2 * b + 1]!)] ?? -1;
    if (hi < 0 || lo < 0) return false;
    out[at + b] = (hi << 4) | lo;
  }
  return id[8] === '-' && id[13] === '-' && id[18] === '-' && id[23] === '-';
}

const uuidScratch = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');

/** One native string creation per id: the hex digits are written into a scratch buffer first. */
export function readUuid(frame: Buffer, at: number): string {
  for (let b = 0; b < idBytes; b++) {
    const byte = frame[at + b]!;
    uuidScratch[digitAt[2 * b]!] = hexCodes[byte >> 4]!;
    uuidScratch[digitAt[2 * b + 1]!] = hexCodes[byte & 15]!;
  }
  return uuidScratch.toString('latin1', 0, 36);
}

const optional = (value: number | undefined) => (value === undefined ? Number.NaN : value);

/** A binary frame of these records, or null if one cannot be represented (then use JSON). */
export function encodeLocationFrame(records: readonly LocationRecord[]): Buffer | null {
  const types: string[] = [];
  const typeIndex = new Map<string, number>();
  for (const r of records) {
    if (typeIndex.has(r.vehicleTypeId)) continue;
    if (types.length === 255 || Buffer.byteLength(r.vehicleTypeId) > 255) return null;
    typeIndex.set(r.vehicleTypeId, types.length);
    types.push(r.vehicleTypeId);
  }
  if (records.length > 0xffff) return null;
  const dictionary = types.map((t) => Buffer.from(t, 'utf8'));
  const head = 5 + dictionary.reduce((n, b) => n + 1 + b.length, 0);
  const frame = Buffer.allocUnsafe(head + records.length * recordBytes);
  frame[0] = 0;
  frame[1] = version;
  frame.writeUInt16LE(records.length, 2);
  frame[4] = dictionary.length;
  let at = 5;
  for (const b of dictionary) {
    frame[at] = b.length;
    b.copy(frame, at + 1);
    at += 1 + b.length;
  }
  for (const r of records) {
    const state = stateIndex.get(r.state);
    if (
      state === undefined ||
      !writeUuid(r.driverId, frame, at) ||
      !writeUuid(r.sessionId, frame, at + offsets.session)
    )
      return null;
    frame.writeUInt32LE(r.seq, at + offsets.seq);
    frame.writeDoubleLE(r.at, at + offsets.at);
    frame.writeDoubleLE(r.lat, at + offsets.lat);
    frame.writeDoubleLE(r.lng, at + offsets.lng);
    frame.writeDoubleLE(optional(r.accuracyM), at + offsets.acc);
    frame.writeDoubleLE(optional(r.speedMps), at + offsets.speed);
    frame.writeDoubleLE(optional(r.headingDeg), at + offsets.heading);
    frame.writeDoubleLE(r.receivedAt, at + offsets.rx);
    frame[at + stateOffset] = state;
    frame[at + typeOffset] = typeIndex.get(r.vehicleTypeId)!;
    at += recordBytes;
  }
  return frame;
}

/** Whether a frame's bytes are the binary form (else JSON). */
export function isBinaryFrame(frame: Buffer): boolean {
  return frame.length >= 5 && frame[0] === 0 && frame[1] === version;
}

/** The records of a binary frame; where they start and how many, for readers that skip. */
export function frameLayout(frame: Buffer): { types: string[]; first: number; count: number } | null {
  const count = frame.readUInt16LE(2);
  const types: string[] = [];
  let at = 5;
  for (let i = 0; i < frame[4]!; i++) {
    const length = frame[at]!;
    types.push(frame.toString('utf8', at + 1, at + 1 + length));
    at += 1 + length;
  }
  return at + count * recordBytes <= frame.length ? { types, first: at, count } : null;
}

/** A key for a record's driver without building its UUID string (16 raw bytes as latin1). */
export function driverKeyAt(frame: Buffer, at: number): string {
  return frame.toString('latin1', at, at + idBytes);
}

/** The record at `at` of a binary frame whose dictionary is `types`. */
export function readLocationRecord(frame: Buffer, at: number, types: readonly string[]): LocationRecord {
  const record: LocationRecord = {
    driverId: readUuid(frame, at),
    sessionId: readUuid(frame, at + offsets.session),
    seq: frame.readUInt32LE(at + offsets.seq),
    at: frame.readDoubleLE(at + offsets.at),
    lat: frame.readDoubleLE(at + offsets.lat),
    lng: frame.readDoubleLE(at + offsets.lng),
    receivedAt: frame.readDoubleLE(at + offsets.rx),
    state: (availabilityStates[frame[at + stateOffset]!] ?? 'offline') as AvailabilityState,
    vehicleTypeId: types[frame[at + typeOffset]!] ?? '',
  };
  const accuracyM = frame.readDoubleLE(at + offsets.acc);
  const speedMps = frame.readDoubleLE(at + offsets.speed);
  const headingDeg = frame.readDoubleLE(at + offsets.heading);
  if (!Number.isNaN(accuracyM)) record.accuracyM = accuracyM;
  if (!Number.isNaN(speedMps)) record.speedMps = speedMps;
  if (!Number.isNaN(headingDeg)) record.headingDeg = headingDeg;
  return record;
}
