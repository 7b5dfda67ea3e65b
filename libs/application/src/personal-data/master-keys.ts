/**
 * The master key wraps every data key (through a key derived per tenant). It comes from
 * configuration, or is generated into the data directory on the embedded default. Rotating it
 * means: configure the new key as current and the old one as previous, re-wrap every data key
 * (`SubjectKeys.rewrapAll`), then drop the old one.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const MASTER_KEY_BYTES = 32;

export interface MasterKey {
  /** Derived from the key itself, so two different keys never pass for one another. */
  readonly id: number;
  readonly secret: Buffer;
}

export interface MasterKeys {
  /** Wraps new keys and re-wrapped ones. */
  readonly current: MasterKey;
  /** Still accepted for unwrapping until every data key has been re-wrapped under the current one. */
  readonly previous: readonly MasterKey[];
}

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

/** A 32-bit id: the first bytes of an HMAC of the key, never the key. */
export function masterKeyId(secret: Buffer): number {
  return createHmac('sha256', secret).update('cds master key id').digest().readUInt32BE(0);
}

export function masterKey(secret: Buffer): MasterKey {
  if (secret.length !== MASTER_KEY_BYTES) throw new MasterKeyError(`A master key is ${MASTER_KEY_BYTES} bytes, got ${secret.length}`);
  return { id: masterKeyId(secret), secret };
}

/** Parses base64 of exactly 32 bytes; `name` says where it came from in the error. */
export function parseMasterKey(name: string, base64: string): MasterKey {
  const text = base64.trim();
  const secret = Buffer.from(text, 'base64');
  // Buffer.from skips characters that are not base64: encoding back must give the same text.
  const canonical = secret.toString('base64');
  if (text.length === 0 || (canonical !== text && canonical.replace(/=+$/, '') !== text.replace(/=+$/, ''))) {
    throw new MasterKeyError(`${name} must be base64 (for example the output of: openssl rand -base64 32)`);
  }
  if (secret.length !== MASTER_KEY_BYTES) {
    throw new MasterKeyError(`${name} must be ${MASTER_KEY_BYTES} random bytes in base64, got ${secret.length} bytes`);
  }
  return masterKey(secret);
}

export function masterKeys(current: MasterKey, previous: readonly MasterKey[] = []): MasterKeys {
  const byId = new Map([[current.id, current.secret]]);
  const distinct: MasterKey[] = [];
  for (const key of previous) {
    const known = byId.get(key.id);
    if (known?.equals(key.secret)) continue;
    if (known) throw new MasterKeyError('Two different master keys have the same id; generate a new one');
    byId.set(key.id, key.secret);
    distinct.push(key);
  }
  return { current, previous: distinct };
}

export function generateMasterKey(): MasterKey {
  return masterKey(randomBytes(MASTER_KEY_BYTES));
}
