import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FieldCipher, FieldDecryptError } from '@/server/infra/field-cipher';

/** T14 (../shared/guides/reliability.md): tampered, moved or relabelled values never decrypt. */
const key = () => randomBytes(32).toString('base64');
const cipher = FieldCipher.fromSpec(`1:${key()}`);
const at = { table: 'users', column: 'phone', rowId: '0b6f7a3e-0000-4000-8000-000000000001' };

function flipBit(envelope: string, part: number, bit: number): string {
  const parts = envelope.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[Math.floor(bit / 8) % bytes.length]! ^= 1 << (bit % 8);
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('personal fields at rest (AES-256-GCM)', () => {
  it('round-trips, with the key version in the value', () => {
    const envelope = cipher.encrypt('+91 98450 00001', at);
    expect(envelope).toMatch(/^pii1\.1\./);
    expect(envelope).not.toContain('98450');
    expect(cipher.decrypt(envelope, at)).toBe('+91 98450 00001');
    expect(FieldCipher.versionOf(envelope)).toBe(1);
    expect(FieldCipher.versionOf('+91 98450 00001')).toBeNull();
  });

  it('refuses every single-bit flip in the IV, the ciphertext and the tag', () => {
    const envelope = cipher.encrypt('KA01-2020-100001', at);
    let refused = 0;
    let tried = 0;
    for (const part of [2, 3, 4]) {
      const bits = Buffer.from(envelope.split('.')[part]!, 'base64url').length * 8;
      for (let bit = 0; bit < bits; bit++) {
        tried++;
        try {
          cipher.decrypt(flipBit(envelope, part, bit), at);
        } catch (error) {
          if (error instanceof FieldDecryptError) refused++;
        }
      }
    }
    expect(tried).toBeGreaterThan(300);
    expect(refused).toBe(tried);
  });

  it('refuses a value moved to another row, column or table, or relabelled with another key version', () => {
    const two = FieldCipher.fromSpec(`1:${key()},2:${key()}`);
    const envelope = two.encrypt('+91 98450 00002', at);
    expect(() => two.decrypt(envelope, { ...at, rowId: '0b6f7a3e-0000-4000-8000-000000000002' })).toThrow(
      FieldDecryptError,
    );
    expect(() => two.decrypt(envelope, { ...at, column: 'name' })).toThrow(FieldDecryptError);
    expect(() => two.decrypt(envelope, { ...at, table: 'drivers' })).toThrow(FieldDecryptError);
    expect(() => two.decrypt(envelope.replace(/^pii1\.2\./, 'pii1.1.'), at)).toThrow(FieldDecryptError);
    expect(() => two.decrypt('pii1.9.a.b.c', at)).toThrow(/no key with version 9/);
    expect(() => two.decrypt('plain text', at)).toThrow(/not an encrypted value/);
  });

  it('never repeats an IV (10,000 values)', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 10_000; i++) ivs.add(cipher.encrypt('same text', at).split('.')[2]!);
    expect(ivs.size).toBe(10_000);
  });

  it('encrypts with the newest key and still reads the older ones', () => {
    const k1 = key();
    const old = FieldCipher.fromSpec(`1:${k1}`);
    const both = FieldCipher.fromSpec(`1:${k1},2:${key()}`);
    const before = old.encrypt('x', at);
    expect(both.currentVersion).toBe(2);
    expect(both.decrypt(before, at)).toBe('x');
    expect(FieldCipher.versionOf(both.encrypt('x', at))).toBe(2);
  });

  it('refuses key specs that are not 32-byte keys with positive versions', () => {
    expect(() => FieldCipher.fromSpec('')).toThrow(/at least one key/);
    expect(() => FieldCipher.fromSpec(`1:${randomBytes(16).toString('base64')}`)).toThrow(/32 bytes/);
    expect(() => FieldCipher.fromSpec(`0:${key()}`)).toThrow(/positive integer/);
  });
});
