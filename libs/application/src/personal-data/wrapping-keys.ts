/**
 * Data keys are stored wrapped: AES-256-GCM under a tenant key derived from the master key by
 * HKDF over the tenant handle, with associated data naming tenant and subject, so a wrapped key
 * copied to another subject or tenant does not unwrap.
 */
import { createSecretKey, hkdfSync, KeyObject, randomBytes } from 'node:crypto';
import { MasterKey, MasterKeyError, MasterKeys } from './master-keys';
import { associatedData, open, PURPOSE, seal, SealedPayloadError } from './sealed-payload';
import { WrappedDataKey } from './key-store.port';

export const DATA_KEY_BYTES = 32;
const HKDF_SALT = 'cds tenant wrapping key v1';

/** Derives and remembers tenant wrapping keys (one per master key and tenant). */
export class WrappingKeys {
  private readonly derived = new Map<string, KeyObject>();
  private readonly byId: Map<number, MasterKey>;

  constructor(readonly masterKeys: MasterKeys) {
    this.byId = new Map([masterKeys.current, ...masterKeys.previous].map((key) => [key.id, key]));
  }

  get currentId(): number {
    return this.masterKeys.current.id;
  }

  /** A new random data key, wrapped under the current master key. */
  newDataKey(tenant: string, subject: string): WrappedDataKey {
    const secret = randomBytes(DATA_KEY_BYTES);
    try {
      return this.wrap(tenant, subject, secret);
    } finally {
      secret.fill(0);
    }
  }

  wrap(tenant: string, subject: string, secret: Buffer): WrappedDataKey {
    const master = this.masterKeys.current;
    return { masterKeyId: master.id, wrapped: seal(this.tenantKey(master, tenant), wrappingAad(tenant, subject), secret) };
  }

  /** The data key as a `KeyObject`; the plain bytes are wiped. */
  unwrap(tenant: string, subject: string, key: WrappedDataKey): KeyObject {
    const secret = this.unwrapSecret(tenant, subject, key);
    try {
      return createSecretKey(secret);
    } finally {
      secret.fill(0);
    }
  }

  /** The plain data key bytes; the caller wipes them. */
  unwrapSecret(tenant: string, subject: string, key: WrappedDataKey): Buffer {
    const master = this.masterOf(tenant, subject, key);
    try {
      const secret = open(this.tenantKey(master, tenant), wrappingAad(tenant, subject), key.wrapped);
      if (secret.length !== DATA_KEY_BYTES) throw new SealedPayloadError(`a data key is ${DATA_KEY_BYTES} bytes`);
      return secret;
    } catch (error) {
      if (!(error instanceof SealedPayloadError)) throw error;
      throw new MasterKeyError(`The data key of ${tenant}/${subject} does not unwrap under master key ${hex(master.id)}: ${error.message}`);
    }
  }

  /** The key that unwraps `key`, for unwrapping on another thread. */
  unwrappingKey(tenant: string, subject: string, key: WrappedDataKey): KeyObject {
    return this.tenantKey(this.masterOf(tenant, subject, key), tenant);
  }

  private masterOf(tenant: string, subject: string, key: WrappedDataKey): MasterKey {
    const master = this.byId.get(key.masterKeyId);
    if (!master) {
      throw new MasterKeyError(
        `The data key of ${tenant}/${subject} is wrapped under master key ${hex(key.masterKeyId)}, which is not configured ` +
          `(current: ${hex(this.currentId)}); set it as CDS_MASTER_KEY or CDS_MASTER_KEY_PREVIOUS`,
      );
    }
    return master;
  }

  private tenantKey(master: MasterKey, tenant: string): KeyObject {
    const id = `${master.id}\n${tenant}`;
    let key = this.derived.get(id);
    if (!key) {
      key = createSecretKey(Buffer.from(hkdfSync('sha256', master.secret, HKDF_SALT, tenant, DATA_KEY_BYTES)));
      this.derived.set(id, key);
    }
    return key;
  }
}

const wrappingAad = (tenant: string, subject: string) => associatedData(PURPOSE.dataKey, tenant, subject);

export const hex = (id: number) => id.toString(16).padStart(8, '0');
