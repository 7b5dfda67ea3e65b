/**
 * AES-256-GCM, one random 96-bit IV per message, with associated data that names what the
 * message belongs to (tenant and subject), so a sealed blob moved anywhere else fails to open.
 *
 * Layout: [format byte][12-byte IV][ciphertext][16-byte tag]. The associated data names the
 * format too, so a blob relabelled as another format does not authenticate.
 */
import { createCipheriv, createDecipheriv, KeyObject, randomFillSync } from 'node:crypto';

const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** What a sealed blob is for, named in its associated data. */
export const PURPOSE = { payload: 'payload', dataKey: 'data key' } as const;
/** For code that opens sealed blobs on another thread (it builds associated data as `associatedData` does). */
export const SEALED_LAYOUT = { format: FORMAT, ivBytes: IV_BYTES, tagBytes: TAG_BYTES, purposes: PURPOSE } as const;
export const NOT_AUTHENTIC = 'The sealed payload does not authenticate: damaged, moved from another subject, or sealed with another key';
const OVERHEAD = 1 + IV_BYTES + TAG_BYTES;
const ALGORITHM = 'aes-256-gcm';

/** A sealed blob that does not open: damaged, moved to another subject, or sealed with another key. */
export class SealedPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedPayloadError';
  }
}

/**
 * IVs come from a pool filled by the CSPRNG a few thousand at a time: `randomBytes(12)` per
 * message costs about as much as the encryption itself.
 */
const IV_POOL_IVS = 4096;
const ivPool = Buffer.alloc(IV_BYTES * IV_POOL_IVS);
let ivOffset = ivPool.length;

function nextIv(): Buffer {
  if (ivOffset === ivPool.length) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

/** The associated data for one purpose and owner: built once per subject and kept with its key. */
export function associatedData(purpose: (typeof PURPOSE)[keyof typeof PURPOSE], tenant: string, subject: string): Buffer {
  return Buffer.from(`cds ${purpose} v${FORMAT}\n${tenant}\n${subject}`, 'utf8');
}

export function seal(key: KeyObject, aad: Buffer, plaintext: Buffer): Buffer {
  const sealed = Buffer.allocUnsafe(OVERHEAD + plaintext.length);
  sealed[0] = FORMAT;
  nextIv().copy(sealed, 1);
  const cipher = createCipheriv(ALGORITHM, key, sealed.subarray(1, 1 + IV_BYTES));
  cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const tail = cipher.final();
  body.copy(sealed, 1 + IV_BYTES);
  tail.copy(sealed, 1 + IV_BYTES + body.length);
  cipher.getAuthTag().copy(sealed, sealed.length - TAG_BYTES);
  return sealed;
}

export function open(key: KeyObject, aad: Buffer, sealed: Buffer): Buffer {
  if (sealed.length < OVERHEAD) throw new SealedPayloadError(`A sealed payload has at least ${OVERHEAD} bytes, got ${sealed.length}`);
  if (sealed[0] !== FORMAT) throw new SealedPayloadError(`Unknown sealed payload format ${sealed[0]}`);
  const decipher = createDecipheriv(ALGORITHM, key, sealed.subarray(1, 1 + IV_BYTES));
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const body = decipher.update(sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES));
  try {
    decipher.final();
  } catch {
    throw new SealedPayloadError(NOT_AUTHENTIC);
  }
  return body;
}
