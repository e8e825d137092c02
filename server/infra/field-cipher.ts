import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encrypts personal fields (phone numbers, licence numbers) at rest with AES-256-GCM.
 * Envelope: `pii1.<key version>.<iv>.<ciphertext>.<tag>` (base64url parts) in the column itself.
 * Each value gets a random 12-byte IV and a 16-byte tag; the additional data binds it to its table,
 * column, row and key version, so a value copied to another row or column, or relabelled with
 * another key version, fails to decrypt instead of being read as someone else's.
 */
export interface FieldContext {
  table: string;
  column: string;
  rowId: string;
}

export class FieldDecryptError extends Error {
  override readonly name = 'FieldDecryptError';
}

const prefix = 'pii1';

export class FieldCipher {
  readonly currentVersion: number;

  constructor(private readonly keys: ReadonlyMap<number, Buffer>) {
    if (keys.size === 0) throw new Error('FieldCipher needs at least one key');
    for (const [version, key] of keys) {
      if (!Number.isInteger(version) || version < 1)
        throw new Error(`PII key version ${version} is not a positive integer`);
      if (key.length !== 32) throw new Error(`PII key ${version} must be 32 bytes, not ${key.length}`);
    }
    this.currentVersion = Math.max(...keys.keys());
  }

  /** Parses `1:<base64 32 bytes>,2:<…>` (PII_KEYS). The highest version encrypts; all decrypt. */
  static fromSpec(spec: string): FieldCipher {
    const keys = new Map<number, Buffer>();
    for (const part of spec
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [version, key] = part.split(':');
      keys.set(Number(version), Buffer.from(key ?? '', 'base64'));
    }
    return new FieldCipher(keys);
  }

  encrypt(plain: string, at: FieldContext): string {
    const version = this.currentVersion;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(version)!, iv);
    cipher.setAAD(aad(at, version));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      prefix,
      version,
      iv.toString('base64url'),
      ciphertext.toString('base64url'),
      tag.toString('base64url'),
    ].join('.');
  }

  decrypt(envelope: string, at: FieldContext): string {
    const parts = envelope.split('.');
    if (parts.length !== 5 || parts[0] !== prefix) throw new FieldDecryptError('not an encrypted value');
    const version = Number(parts[1]);
    const key = this.keys.get(version);
    if (!key) throw new FieldDecryptError(`no key with version ${parts[1]}`);
    const iv = Buffer.from(parts[2]!, 'base64url');
    const tag = Buffer.from(parts[4]!, 'base64url');
    if (iv.length !== 12 || tag.length !== 16) throw new FieldDecryptError('malformed value');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(aad(at, version));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(parts[3]!, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new FieldDecryptError('value fails authentication (tampered, moved or wrong key)');
    }
  }

  /** The key version an envelope was written with, or null for anything else (legacy plain text). */
  static versionOf(value: string): number | null {
    const parts = value.split('.');
    return parts.length === 5 && parts[0] === prefix ? Number(parts[1]) : null;
  }
}

function aad(at: FieldContext, version: number): Buffer {
  return Buffer.from(`${at.table}\u0000${at.column}\u0000${at.rowId}\u0000${version}`, 'utf8');
}

/** The development key: derived from a fixed phrase, refused in production like every dev secret. */
export const devPiiKeys = `1:${createHash('sha256').update('dev-only-pii-key-change-me').digest('base64')}`;
