import { describe, expect, it } from 'vitest';
import { decodeGatewayFrame, encodeGatewayFrame, type GatewayDriverBatch } from '@/domain/gateway-frame';
import { gatewayBatchSchema, locationLimits } from '@/domain/location';

const driver = (n: number, pings = 1): GatewayDriverBatch => ({
  driverId: `0a1b2c3d-4e5f-4a6b-8c7d-${n.toString(16).padStart(12, '0')}`,
  sessionId: `6f1c2a7e-3b4d-4e5f-8a9b-${n.toString(16).padStart(12, '0')}`,
  pings: Array.from({ length: pings }, (_, k) => ({
    seq: k + 1,
    at: 1_800_000_000_000 + k,
    lat: 12.971598765432,
    lng: 77.594612345678,
    ...(k % 2 ? {} : { accuracyM: 8.25, speedMps: 11.5, headingDeg: 359.75 }),
  })),
});

/** Both forms must accept and refuse the same messages, naming the same field. */
function agree(drivers: GatewayDriverBatch[]) {
  const frame = decodeGatewayFrame(encodeGatewayFrame(drivers));
  const json = gatewayBatchSchema.safeParse({ drivers });
  expect(frame.ok).toBe(json.success);
  if (frame.ok && json.success) expect(frame.drivers).toEqual(json.data.drivers);
  if (!frame.ok && !json.success) expect(frame.field).toBe(json.error.issues[0]!.path.join('.'));
}

describe('gateway frames', () => {
  it('carry a gateway message exactly, optional fields and all, in far fewer bytes than JSON', () => {
    const drivers = Array.from({ length: 100 }, (_, i) => driver(i + 1, 1 + (i % 3)));
    const bytes = encodeGatewayFrame(drivers);
    expect(decodeGatewayFrame(bytes)).toEqual({ ok: true, drivers });
    expect(bytes.length).toBeLessThan(JSON.stringify({ drivers }).length / 2);
  });

  it('refuse what the JSON form refuses, naming the same field', () => {
    const bad = (change: (d: GatewayDriverBatch) => void) => {
      const drivers = [driver(1), driver(2, 2)];
      change(drivers[1]!);
      agree(drivers);
    };
    agree([driver(1), driver(2, 3)]);
    bad((d) => (d.pings[1]!.lat = 90.5));
    bad((d) => (d.pings[0]!.lng = -180.01));
    bad((d) => (d.pings[0]!.lat = Number.POSITIVE_INFINITY));
    bad((d) => (d.pings[1]!.accuracyM = -1));
    bad((d) => (d.pings[0]!.speedMps = 1_000.5));
    bad((d) => (d.pings[0]!.headingDeg = 361));
    bad((d) => (d.pings[0]!.seq = 0));
    bad((d) => (d.pings[0]!.at = 1.5));
    bad((d) => (d.pings[0]!.at = -1));
    bad((d) => (d.driverId = '0a1b2c3d-4e5f-0a6b-8c7d-000000000001'));
    bad((d) => (d.sessionId = '0a1b2c3d-4e5f-4a6b-0c7d-000000000001'));
    agree([{ ...driver(1), driverId: '00000000-0000-0000-0000-000000000000' }]);
    agree(Array.from({ length: locationLimits.maxGatewayDrivers + 1 }, (_, i) => driver(i + 1)));
    agree(Array.from({ length: 6 }, (_, i) => driver(i + 1, locationLimits.maxPingsPerBatch)));
  });

  it('refuse frames that are cut short, carry trailing bytes or another format', () => {
    const bytes = encodeGatewayFrame([driver(1, 2)]);
    expect(decodeGatewayFrame(bytes.subarray(0, bytes.length - 1))).toMatchObject({ ok: false });
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(decodeGatewayFrame(longer)).toMatchObject({ ok: false, field: 'frame' });
    expect(decodeGatewayFrame(new TextEncoder().encode('{"drivers":[]}'))).toMatchObject({
      ok: false,
      field: 'frame',
    });
  });
});
