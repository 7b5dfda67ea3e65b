/**
 * One record on disk: [u32 LE payload length][u32 LE crc32 of payload][payload bytes].
 * The length lets a reader step from record to record; the checksum tells a complete, intact
 * record from one that was torn by a crash or damaged later.
 */
import { crc32 } from 'node:zlib';

export const FRAME_HEADER_BYTES = 8;

/**
 * Upper bound for one payload. Appends above it are refused, and on read a header claiming more
 * is treated as damage, so a corrupt length field cannot make a reader allocate gigabytes.
 */
export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

/** Writes the frames for `payloads` back to back into one buffer: one write call per batch. */
export function encodeFrames(payloads: readonly string[]): { buffer: Buffer; frameLengths: number[] } {
  const payloadLengths = payloads.map((payload) => Buffer.byteLength(payload, 'utf8'));
  const total = payloadLengths.reduce((sum, length) => sum + FRAME_HEADER_BYTES + length, 0);
  const buffer = Buffer.allocUnsafe(total);
  const frameLengths: number[] = [];
  let offset = 0;
  payloads.forEach((payload, i) => {
    const length = payloadLengths[i];
    if (length === 0 || length > MAX_PAYLOAD_BYTES) {
      throw new RangeError(`Record payload of ${length} bytes is outside 1..${MAX_PAYLOAD_BYTES}`);
    }
    const start = offset + FRAME_HEADER_BYTES;
    buffer.write(payload, start, length, 'utf8');
    buffer.writeUInt32LE(length, offset);
    buffer.writeUInt32LE(crc32(buffer.subarray(start, start + length)), offset + 4);
    frameLengths.push(FRAME_HEADER_BYTES + length);
    offset = start + length;
  });
  return { buffer, frameLengths };
}

export type FrameProbe =
  /** An intact frame; `payload` is a view into the caller's buffer. */
  | { readonly kind: 'frame'; readonly payload: Buffer; readonly frameLength: number }
  /** The bytes end before the frame does (`needed` bytes from its start would be required). */
  | { readonly kind: 'short'; readonly needed: number }
  /** Not a frame: impossible length or checksum mismatch. */
  | { readonly kind: 'bad'; readonly reason: string };

/** Looks at the bytes of `buffer` from `offset` (which holds at most `buffer.length - offset` bytes of the file). */
export function probeFrame(buffer: Buffer, offset: number): FrameProbe {
  const available = buffer.length - offset;
  if (available < FRAME_HEADER_BYTES) return { kind: 'short', needed: FRAME_HEADER_BYTES };
  const length = buffer.readUInt32LE(offset);
  if (length === 0 || length > MAX_PAYLOAD_BYTES) {
    return { kind: 'bad', reason: `impossible payload length ${length}` };
  }
  if (available < FRAME_HEADER_BYTES + length) return { kind: 'short', needed: FRAME_HEADER_BYTES + length };
  const start = offset + FRAME_HEADER_BYTES;
  const payload = buffer.subarray(start, start + length);
  if (crc32(payload) !== buffer.readUInt32LE(offset + 4)) return { kind: 'bad', reason: 'checksum mismatch' };
  return { kind: 'frame', payload, frameLength: FRAME_HEADER_BYTES + length };
}
