/**
 * Opens pages of sealed payloads on worker threads. Opening costs the thread that does it a few
 * microseconds per payload, most of it setting up each decipher; a rebuild that folds on one
 * thread can hand the opening of its next page to another core while it folds the current one.
 * The fold's thread then pays only for handing the page over and parsing what comes back.
 *
 * Data keys go to a worker still wrapped, with the tenant key that unwraps them (a `KeyObject`
 * crosses threads without its bytes being exposed to JavaScript; handing over one costs about
 * ten microseconds, so only tenant keys cross, once each). The worker unwraps each data key once
 * and keeps it until it holds `keysPerThread` of them. Whether a subject is erased is decided
 * here, from the key store, for every page: a worker never opens a payload of a subject found
 * erased.
 */
import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { NOT_AUTHENTIC, SEALED_LAYOUT } from './sealed-payload';
import { DATA_KEY_BYTES } from './wrapping-keys';
import { OpenedPayload, SubjectKeyMissingError, subjectId, SubjectKeys, SubjectRef } from './subject-keys';

export interface SealedItem extends SubjectRef {
  readonly sealed: string;
}

/** One payload of a page: opened, erased, or unreadable (damaged, moved, or its key unknown) with the reason. */
export type PooledOpening<T = unknown> = OpenedPayload<T> | { readonly status: 'unreadable'; readonly reason: string };

export interface OpeningPoolOptions {
  threads?: number;
  /** Keys a worker keeps before it is told to drop them all and get them again. */
  keysPerThread?: number;
}

interface Request {
  readonly seq: number;
  /** Drop every key held before taking these. */
  readonly clear: boolean;
  /** Tenant keys, by master key id and tenant. */
  readonly unwrapping: Array<[string, KeyObject]>;
  /** Data keys the worker does not hold yet: subject, tenant key, wrapped key. */
  readonly keys: Array<[string, string, Uint8Array]>;
  /** The page's subjects, and each payload's subject as an index into them. */
  readonly subjects: string[];
  readonly subjectOf: Uint32Array;
  /** The payloads, base64 text joined by spaces: one string crosses threads faster than thousands. */
  readonly sealed: string;
}

interface Reply {
  readonly seq: number;
  /** The opened payloads as one JSON array (null for those that failed), so the page is parsed at once. */
  readonly buffer: ArrayBuffer;
  /** Where each payload's JSON starts and ends in `buffer`, for reading them one by one if the whole does not parse. */
  readonly offsets: Uint32Array;
  readonly failures: Array<[number, string]>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createDecipheriv, createSecretKey } = require('node:crypto');
const { format, ivBytes, tagBytes, purposes, dataKeyBytes, notAuthentic } = workerData;
const unwrapping = new Map();
const keys = new Map();
// As associatedData builds it; a subject id is the tenant and the subject on two lines.
const [OPEN_ARRAY, COMMA, CLOSE_ARRAY, NULL] = ['[', ',', ']', 'null'].map((text) => Buffer.from(text));
const aad = (purpose, id) => Buffer.from('cds ' + purpose + ' v' + format + '\\n' + id, 'utf8');
function open(key, associated, blob) {
  if (blob.length < 1 + ivBytes + tagBytes || blob[0] !== format) throw new Error('not a sealed blob of a known format');
  const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 1 + ivBytes));
  decipher.setAAD(associated);
  decipher.setAuthTag(blob.subarray(blob.length - tagBytes));
  const body = decipher.update(blob.subarray(1 + ivBytes, blob.length - tagBytes));
  try { decipher.final(); } catch { throw new Error(notAuthentic); }
  return body;
}
function unwrap(id, wrappingId, wrapped) {
  const secret = open(unwrapping.get(wrappingId), aad(purposes.dataKey, id), Buffer.from(wrapped));
  try {
    if (secret.length !== dataKeyBytes) throw new Error('a data key is ' + dataKeyBytes + ' bytes');
    return { key: createSecretKey(secret), aad: aad(purposes.payload, id) };
  } finally {
    secret.fill(0);
  }
}
parentPort.on('message', ({ seq, clear, unwrapping: tenantKeys, keys: dataKeys, subjects, subjectOf, sealed }) => {
  if (clear) keys.clear();
  for (const [id, key] of tenantKeys) unwrapping.set(id, key);
  for (const [id, wrappingId, wrapped] of dataKeys) {
    try { keys.set(id, unwrap(id, wrappingId, wrapped)); } catch (error) { keys.set(id, { error: 'the data key does not unwrap: ' + String((error && error.message) || error) }); }
  }
  const count = subjectOf.length;
  const parts = [OPEN_ARRAY];
  const offsets = new Uint32Array(2 * count);
  const failures = [];
  let at = 1;
  let from = 0;
  for (let i = 0; i < count; i++) {
    let end = sealed.indexOf(' ', from);
    if (end < 0) end = sealed.length;
    if (i > 0) { parts.push(COMMA); at += 1; }
    let body = NULL;
    try {
      const entry = keys.get(subjects[subjectOf[i]]);
      if (!entry) throw new Error('no key was handed over for this subject');
      if (entry.error) throw new Error(entry.error);
      body = open(entry.key, entry.aad, Buffer.from(sealed.slice(from, end), 'base64'));
    } catch (error) {
      failures.push([i, String((error && error.message) || error)]);
    }
    parts.push(body);
    offsets[2 * i] = at;
    at += body.length;
    offsets[2 * i + 1] = at;
    from = end + 1;
  }
  parts.push(CLOSE_ARRAY);
  const joined = Buffer.concat(parts, at + 1);
  const buffer = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.length);
  parentPort.postMessage({ seq, buffer, offsets, failures }, [buffer, offsets.buffer]);
});
`;

const DEFAULTS = { threads: 1, keysPerThread: 100_000 };

export class PayloadOpeningPool {
  private readonly workers: OpeningWorker[];
  private turn = 0;
  private readonly keysPerThread: number;

  constructor(
    private readonly subjectKeys: SubjectKeys,
    options: OpeningPoolOptions = {},
  ) {
    const threads = options.threads ?? DEFAULTS.threads;
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`An opening pool has at least one thread, got ${threads}`);
    this.keysPerThread = options.keysPerThread ?? DEFAULTS.keysPerThread;
    this.workers = Array.from({ length: threads }, () => new OpeningWorker());
  }

  /** Opens a page in order. Pages given before the previous one is done go to the next thread. */
  async openAll<T = unknown>(items: readonly SealedItem[]): Promise<Array<PooledOpening<T>>> {
    return (await this.handOver<T>(items)).opened;
  }

  /**
   * Hands a page to a thread: resolves once the thread has it (its keys looked up, the page
   * posted), with the page's openings to come, so the caller can do other work meanwhile.
   */
  async handOver<T = unknown>(items: readonly SealedItem[]): Promise<{ opened: Promise<Array<PooledOpening<T>>> }> {
    const stored = await this.subjectKeys.storedKeysFor(items);
    const worker = this.workers[this.turn++ % this.workers.length];
    const clear = worker.sent.size + items.length > this.keysPerThread;
    if (clear) worker.sent.clear();
    const results: Array<PooledOpening<T>> = new Array(items.length);
    const handed: number[] = [];
    const request = { clear, unwrapping: [] as Request['unwrapping'], keys: [] as Request['keys'] };
    const subjects = new Map<string, number>();
    const subjectOf: number[] = [];
    const sealed: string[] = [];
    items.forEach((item, index) => {
      const id = subjectId(item.tenant, item.subject);
      const key = stored.get(id);
      if (key === undefined) {
        results[index] = unreadable(new SubjectKeyMissingError(item.tenant, item.subject).message);
        return;
      }
      if (key.state === 'destroyed') {
        results[index] = ERASED;
        return;
      }
      if (!worker.sent.has(id)) {
        let tenantKey: KeyObject;
        try {
          tenantKey = this.subjectKeys.unwrappingKey(item.tenant, item.subject, key.key);
        } catch (error) {
          results[index] = unreadable((error as Error).message);
          return;
        }
        const wrappingId = `${key.key.masterKeyId}\n${item.tenant}`;
        if (!worker.unwrapping.has(wrappingId)) {
          worker.unwrapping.add(wrappingId);
          request.unwrapping.push([wrappingId, tenantKey]);
        }
        worker.sent.add(id);
        // A copy of just the wrapped key: a pooled buffer would carry its neighbours' bytes along.
        request.keys.push([id, wrappingId, Uint8Array.prototype.slice.call(key.key.wrapped)]);
      }
      if (typeof item.sealed !== 'string' || item.sealed.includes(' ')) {
        results[index] = unreadable('a sealed payload is base64 text');
        return;
      }
      let subjectIndex = subjects.get(id);
      if (subjectIndex === undefined) subjects.set(id, (subjectIndex = subjects.size));
      handed.push(index);
      subjectOf.push(subjectIndex);
      sealed.push(item.sealed);
    });
    if (handed.length === 0) return { opened: Promise.resolve(results) };
    const replied = worker.request({ ...request, subjects: [...subjects.keys()], subjectOf: Uint32Array.from(subjectOf), sealed: sealed.join(' ') });
    const opened = (async () => {
      const reply = await replied;
      const values = parsedPage<T>(reply);
      const failures = new Map(reply.failures);
      handed.forEach((index, k) => {
        const failure = failures.get(k);
        results[index] = failure === undefined ? values[k] : unreadable(failure);
      });
      return results;
    })();
    return { opened };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}

class OpeningWorker {
  /** Subjects whose keys this worker holds. */
  readonly sent = new Set<string>();
  /** Tenant keys it holds. */
  readonly unwrapping = new Set<string>();
  private readonly worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { ...SEALED_LAYOUT, dataKeyBytes: DATA_KEY_BYTES, notAuthentic: NOT_AUTHENTIC },
  });
  private readonly pending = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void }>();
  private seq = 0;
  private failure: Error | undefined;

  constructor() {
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      this.pending.get(reply.seq)?.resolve(reply);
      this.pending.delete(reply.seq);
      if (this.pending.size === 0) this.worker.unref();
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`A payload opening thread exited (code ${code})`)));
  }

  request(request: Omit<Request, 'seq'>): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      // Keeps the process alive while a page is being opened, and only then.
      this.worker.ref();
      this.worker.postMessage({ ...request, seq });
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('The opening pool is closed');
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.values()) waiter.reject(this.failure);
    this.pending.clear();
  }
}

const ERASED = Object.freeze({ status: 'erased' as const });

const unreadable = (reason: string) => ({ status: 'unreadable' as const, reason });

/** The page's opened payloads: parsed at once, or one by one when the whole does not parse (one of them is not JSON). */
function parsedPage<T>(reply: Reply): Array<PooledOpening<T>> {
  const text = Buffer.from(reply.buffer);
  try {
    return (JSON.parse(text.toString('utf8')) as T[]).map((value) => ({ status: 'open' as const, value }));
  } catch {
    return Array.from({ length: reply.offsets.length / 2 }, (_, k) => parsed<T>(text.toString('utf8', reply.offsets[2 * k], reply.offsets[2 * k + 1])));
  }
}

function parsed<T>(text: string): PooledOpening<T> {
  try {
    return { status: 'open', value: JSON.parse(text) as T };
  } catch {
    return unreadable('the opened payload is not JSON');
  }
}
