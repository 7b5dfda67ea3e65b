/**
 * Catch-up subscriptions to one stream or to $all.
 *
 * The subscription is a cursor over the (append-only) log: it delivers everything after its
 * start point, then keeps delivering as appends notify it. Because catch-up and live delivery
 * use the same cursor, no event is lost or duplicated at the switch-over, and back-pressure
 * just pauses the cursor (the emulator never drops a slow subscriber, unlike the server).
 *
 * Messages, in the server's order: confirmation; events; for filtered $all subscriptions a
 * checkpoint every `checkpointInterval` considered events; once caught up, a checkpoint at the
 * last position (filtered only) and a CaughtUp message; then live events.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from './event-store';
import type { EventFilter } from './filters';
import type { DroppableSubscription, Faults } from './faults';
import {
  caughtUpResponse,
  checkpointResponse,
  confirmationResponse,
  eventResponse,
} from './grpc-codec';
import type { ResponseWriter } from './response-writer';
import type { RecordedEvent } from './types';

export type SubscriptionSource =
  | { readonly kind: 'all'; readonly startIndex: number }
  | { readonly kind: 'stream'; readonly streamId: string; readonly startIndex: number };

export class CatchUpSubscription {
  private nextIndex: number;
  private pumping = false;
  private pumpAgain = false;
  private caughtUp = false;
  private consideredSinceCheckpoint = 0;

  constructor(
    private readonly store: EventStore,
    private readonly writer: ResponseWriter,
    private readonly source: SubscriptionSource,
    private readonly filter: EventFilter | undefined,
    private readonly structuredIds: boolean,
    private readonly faults: Faults,
  ) {
    this.nextIndex = source.startIndex;
  }

  private readonly droppable: DroppableSubscription = { drop: (error) => this.writer.fail(error) };

  async start(): Promise<void> {
    if (!(await this.writer.write(confirmationResponse(randomUUID())))) return;
    const stopListening = this.store.onAppended(() => void this.pump());
    this.writer.onClose(stopListening);
    this.writer.onClose(this.faults.track(this.droppable));
    await this.pump();
  }

  private events(): readonly RecordedEvent[] {
    return this.source.kind === 'all' ? this.store.all() : this.store.streamOrEmpty(this.source.streamId);
  }

  /** Delivers everything not yet delivered. Re-entrant calls just ask the running pump to loop. */
  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        await this.deliverPending();
        if (!this.caughtUp && !this.writer.closed) await this.announceCaughtUp();
      } while (this.pumpAgain && !this.writer.closed);
    } finally {
      this.pumping = false;
    }
  }

  private async deliverPending(): Promise<void> {
    const events = this.events();
    while (this.nextIndex < events.length && !this.writer.closed) {
      const event = events[this.nextIndex++];
      if (!this.filter) {
        await this.deliver(event);
        continue;
      }
      if (this.filter.matches(event)) await this.deliver(event);
      this.consideredSinceCheckpoint++;
      if (this.consideredSinceCheckpoint >= this.filter.checkpointInterval) {
        this.consideredSinceCheckpoint = 0;
        await this.writer.write(checkpointResponse(event.position));
      }
    }
  }

  private async deliver(event: RecordedEvent): Promise<void> {
    if (await this.writer.write(eventResponse(event, this.structuredIds))) this.faults.delivered(this.droppable);
  }

  private async announceCaughtUp(): Promise<void> {
    this.caughtUp = true;
    if (this.filter) await this.writer.write(checkpointResponse(this.store.lastPosition()));
    await this.writer.write(caughtUpResponse());
  }
}
