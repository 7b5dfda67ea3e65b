/**
 * Looks for personal data where it must not be: every file under a directory, or a list of raw
 * stored events or documents. Each value is searched in every form it could have been written in:
 * UTF-8, JSON-escaped (with or without non-ASCII escaped), UTF-16LE, and base64 (standard and URL
 * alphabets, at each of the three alignments it can take inside a longer base64 text). Binary
 * values (keys) are searched as raw bytes, hex and base64.
 *
 * A value shorter than 4 bytes is refused: it would be found everywhere by chance.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

export type Needle = string | Buffer;

export interface Finding {
  /** The value searched for, as given (binary values in hex). */
  readonly value: string;
  /** The form it was found in. */
  readonly encoding: string;
  /** The file (relative to the scanned directory) or the record's label. */
  readonly location: string;
  readonly offset: number;
}

interface Pattern {
  readonly value: string;
  readonly encoding: string;
  readonly bytes: Buffer;
}

const MIN_BYTES = 4;

/** Every place under `directory` where any of `needles` appears, in any encoding. */
export async function scanDirectory(directory: string, needles: readonly Needle[]): Promise<Finding[]> {
  const patterns = patternsOf(needles);
  const findings: Finding[] = [];
  for (const file of await filesUnder(directory)) {
    findings.push(...findIn(await fsp.readFile(file), path.relative(directory, file), patterns));
  }
  return findings;
}

/**
 * The same over stored records: each is searched as bytes (a Buffer), text (a string), or its
 * JSON text (anything else; binary leaves such as BSON Binary become base64).
 */
export function scanRecords(records: ReadonlyArray<{ location: string; record: unknown }>, needles: readonly Needle[]): Finding[] {
  const patterns = patternsOf(needles);
  return records.flatMap(({ location, record }) => findIn(bytesOf(record), location, patterns));
}

/** One line per finding, for a failure message that says where each value leaked. */
export function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${JSON.stringify(f.value)} as ${f.encoding} in ${f.location} at byte ${f.offset}`).join('\n');
}

function findIn(haystack: Buffer, location: string, patterns: readonly Pattern[]): Finding[] {
  const findings: Finding[] = [];
  for (const pattern of patterns) {
    for (let at = haystack.indexOf(pattern.bytes); at !== -1; at = haystack.indexOf(pattern.bytes, at + 1)) {
      findings.push({ value: pattern.value, encoding: pattern.encoding, location, offset: at });
    }
  }
  return findings;
}

export function patternsOf(needles: readonly Needle[]): Pattern[] {
  const patterns: Pattern[] = [];
  for (const needle of needles) {
    const bytes = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : needle;
    if (bytes.length < MIN_BYTES) throw new RangeError(`Values shorter than ${MIN_BYTES} bytes match by chance: ${JSON.stringify(String(needle))}`);
    const value = typeof needle === 'string' ? needle : needle.toString('hex');
    const forms = new Map<string, Buffer>();
    const add = (encoding: string, form: Buffer) => {
      if (form.length >= MIN_BYTES && ![...forms.values()].some((known) => known.equals(form))) forms.set(encoding, form);
    };
    add(typeof needle === 'string' ? 'utf8' : 'bytes', bytes);
    if (typeof needle === 'string') {
      add('json', Buffer.from(JSON.stringify(needle).slice(1, -1), 'utf8'));
      add('json-ascii', Buffer.from(asciiJson(needle), 'utf8'));
      add('utf16le', Buffer.from(needle, 'utf16le'));
    } else {
      add('hex', Buffer.from(needle.toString('hex'), 'latin1'));
    }
    for (const [encoding, text] of base64Forms(bytes)) add(encoding, Buffer.from(text, 'latin1'));
    for (const [encoding, form] of forms) patterns.push({ value, encoding, bytes: form });
  }
  return patterns;
}

/**
 * The part of the base64 text of `bytes` that is the same whatever comes before or after it,
 * for each of the three offsets (mod 3) it can start at inside a longer encoded text.
 */
function base64Forms(bytes: Buffer): Array<[string, string]> {
  const forms: Array<[string, string]> = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), bytes]);
    const text = padded.toString('base64');
    // Characters that mix in bytes from before (the shift) or after the value (a partial group) vary.
    const start = Math.ceil((shift * 4) / 3);
    const end = Math.floor((padded.length * 4) / 3);
    const stable = text.slice(start, end);
    forms.push([`base64@${shift}`, stable]);
    forms.push([`base64url@${shift}`, stable.replace(/\+/g, '-').replace(/\//g, '_')]);
  }
  return forms;
}

function asciiJson(value: string): string {
  return JSON.stringify(value)
    .slice(1, -1)
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function bytesOf(record: unknown): Buffer {
  if (Buffer.isBuffer(record)) return record;
  if (record instanceof Uint8Array) return Buffer.from(record);
  if (typeof record === 'string') return Buffer.from(record, 'utf8');
  return Buffer.from(JSON.stringify(record, binaryAsBase64) ?? '', 'utf8');
}

/** JSON of BSON Binary, Buffer and typed arrays as base64, so their bytes can be matched. */
function binaryAsBase64(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Uint8Array) return Buffer.from(raw).toString('base64');
  const binary = raw as { _bsontype?: string; buffer?: Uint8Array } | null;
  if (binary?._bsontype === 'Binary' && binary.buffer instanceof Uint8Array) return Buffer.from(binary.buffer).toString('base64');
  return value;
}

async function filesUnder(directory: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await fsp.readdir(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}
