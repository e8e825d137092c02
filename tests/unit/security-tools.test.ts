import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Actor, SignedInKind } from '@/tests/security/authorization-matrix';
import { findLeaks, type LeakWorld, markersFor } from '@/tests/security/leaks';
import {
  applyMutation,
  jsonSchemaOf,
  mutatedArbitrary,
  overTheWire,
  pathsOf,
  valueArbitrary,
} from '@/tests/security/zod-arbitrary';

/**
 * The instruments of the security tests (T10–T12), checked on their own: a leak detector that
 * never fires, or generators whose "invalid" inputs are valid, would let those tests pass blind.
 */
const actor = (kind: string, role: Actor['role']): Actor => ({
  id: `00000000-0000-4000-8000-${kind.padStart(12, '0').slice(-12)}`,
  email: `${kind}@it.test`,
  name: `Name ${kind}`,
  role,
  phone: `+91 80 ${kind} 1234`,
  licence: role === 'driver' ? `DL-${kind.toUpperCase()}` : null,
  session: {
    id: kind,
    email: `${kind}@it.test`,
    name: kind,
    role,
    sessionId: `session-${kind}`,
  },
});

const world: LeakWorld = {
  actors: {
    riderOwner: actor('alpha', 'rider'),
    otherRider: actor('bravo', 'rider'),
    assignedDriver: actor('delta', 'driver'),
    otherDriver: actor('echo', 'driver'),
    dispatcher: actor('sierra', 'dispatcher'),
    admin: actor('mike', 'admin'),
  } as Record<SignedInKind, Actor>,
  positions: { assignedDriver: { lat: 12.9345678, lng: 77.6123456 } },
  booking: { id: 'booking-a', pickup: { lat: 12.91, lng: 77.6 } },
  passwordHash: '$argon2id$v=19$secret-hash',
};

describe('leak markers', () => {
  it('find other people’s text anywhere in a payload, case-insensitively', () => {
    const markers = markersFor(world, 'otherRider');
    const payload = { deep: [{ note: `hello ${world.actors.riderOwner.email.toUpperCase()}` }] };
    expect(findLeaks(payload, markers)).toEqual(["riderOwner's e-mail"]);
    expect(findLeaks({ who: world.actors.otherRider.name }, markers), 'their own name is fine').toEqual([]);
  });

  it('find a position as a pair of numbers within about a metre, in JSON or CSV', () => {
    const markers = markersFor(world, 'otherRider');
    const at = world.positions.assignedDriver!;
    expect(findLeaks({ a: { x: at.lat + 5e-6 }, b: [at.lng] }, markers)).toContain(
      "assignedDriver's position",
    );
    expect(findLeaks(`id,lat,lng\n1,${at.lat},${at.lng}\n`, markers)).toContain("assignedDriver's position");
    expect(findLeaks({ lat: at.lat + 1e-3, lng: at.lng }, markers), '100 m away is not it').toEqual([]);
  });

  it('always include phones, licences, session ids and the password hash, unless a row reveals them', () => {
    const markers = markersFor(world, 'admin');
    const d = world.actors.assignedDriver;
    expect(findLeaks({ d: [d.phone, d.licence, d.session.sessionId, world.passwordHash] }, markers)).toEqual([
      'a password hash',
      "assignedDriver's phone",
      "assignedDriver's licence",
      "assignedDriver's auth session id",
    ]);
    const revealing = markersFor(world, 'admin', { reveals: ['phone', 'licence'] });
    expect(findLeaks({ d: [d.phone, d.licence] }, revealing)).toEqual([]);
  });
});

describe('inputs derived from a zod schema', () => {
  const schema = z.object({
    bookingId: z.uuid(),
    count: z.int().min(1).max(50),
    lat: z.number().min(-90).max(90),
    tags: z.array(z.enum(['a', 'b'])).max(3),
    note: z.string().max(20).optional(),
  });
  const valid = valueArbitrary(jsonSchemaOf(schema), { ids: ['11111111-1111-4111-8111-111111111111'] });

  it('generates values the schema accepts', () => {
    const values = fc.sample(valid, { numRuns: 200, seed: 1 });
    expect(values.filter((v) => !schema.safeParse(overTheWire(v)).success)).toEqual([]);
  });

  it('mutates one path at a time, mostly into values the schema refuses', () => {
    const samples = fc.sample(mutatedArbitrary(valid), { numRuns: 300, seed: 2 });
    const refused = samples.filter((s) => !schema.safeParse(overTheWire(s.value)).success);
    expect(refused.length / samples.length).toBeGreaterThan(0.6);
    expect(new Set(samples.map((s) => s.mutation.op))).toEqual(new Set(['replace', 'delete', 'extra']));
  });

  it('leaves the original untouched and reaches nested paths', () => {
    const base = { a: { b: [1, 2] } };
    expect(pathsOf(base)).toEqual([[], ['a'], ['a', 'b'], ['a', 'b', 0], ['a', 'b', 1]]);
    const changed = applyMutation(base, { path: ['a', 'b', 1], op: 'replace', kind: 'x', junk: 'x' });
    expect(changed).toEqual({ a: { b: [1, 'x'] } });
    expect(base).toEqual({ a: { b: [1, 2] } });
    expect(applyMutation(base, { path: ['a'], op: 'delete', kind: 'missing', junk: null })).toEqual({});
  });
});
