/**
 * Writes ReadResp messages to a server stream while honouring back-pressure, so a slow reader
 * (or a long catch-up) does not make the emulator buffer the whole log in memory. Also tracks
 * whether the client has gone away (cancelled the call / unsubscribed).
 */
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';

type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

const CLOSING_EVENTS = ['cancelled', 'close', 'error'] as const;

export class ResponseWriter {
  private isClosed = false;
  private readonly closeCallbacks: Array<() => void> = [];

  constructor(private readonly call: ReadCall) {
    const markClosed = () => this.markClosed();
    for (const event of CLOSING_EVENTS) call.once(event, markClosed);
    if (call.cancelled) this.markClosed();
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Runs `callback` once when the call ends, whoever ends it. */
  onClose(callback: () => void): void {
    if (this.isClosed) callback();
    else this.closeCallbacks.push(callback);
  }

  /** Resolves to false when the call is gone and nothing more should be written. */
  async write(message: ReadResp): Promise<boolean> {
    if (this.isClosed) return false;
    if (this.call.write(message)) return true;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.call.removeListener('drain', done);
        for (const event of CLOSING_EVENTS) this.call.removeListener(event, done);
        resolve();
      };
      this.call.once('drain', done);
      for (const event of CLOSING_EVENTS) this.call.once(event, done);
    });
    return !this.isClosed;
  }

  /** Completes the call with status OK (end of a finite read). */
  end(): void {
    if (this.isClosed) return;
    this.call.end();
    this.markClosed();
  }

  /** Completes the call with a gRPC error status. */
  fail(error: unknown): void {
    if (this.isClosed) return;
    this.call.emit('error', error);
    this.markClosed();
  }

  private markClosed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const callback of this.closeCallbacks.splice(0)) callback();
  }
}
