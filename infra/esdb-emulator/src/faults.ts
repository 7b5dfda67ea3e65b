/**
 * Test-only faults, on command: drop subscriptions, refuse or delay appends. Each fault answers
 * the way the real server does in the situation it stands for, so a client's handling of it is
 * tested against what it will meet in production:
 *
 * - a subscription dropped because the consumer is too slow while live (servers 22.6 to 23.10):
 *   status ABORTED, "Operation timed out: Consumer too slow to handle event while live. Client
 *   resubscription required." (the client's TimeoutError);
 * - a subscription ended because the node went away (restart, leader change): status UNAVAILABLE
 *   (the client's UnavailableError);
 * - an append refused by a node that is not ready or too busy: UNAVAILABLE "Server Is Not Ready" /
 *   "Server Is Too Busy", nothing written;
 * - an append whose commit timed out: ABORTED "Operation timed out: ...", and the events *are*
 *   written (the server's answer means "outcome unknown"; a retry with the same event ids is
 *   recognised and writes nothing twice).
 */
import { status, type ServerErrorResponse } from '@grpc/grpc-js';
import { grpcError } from './grpc-errors';

export type SubscriptionDrop = 'consumer-too-slow' | 'unavailable';
export type AppendRefusal = 'not-ready' | 'too-busy' | 'commit-timeout';

/** What an open subscription exposes to the faults. */
export interface DroppableSubscription {
  /** Ends the call with a gRPC error; the client sees the subscription dropped. */
  drop(error: ServerErrorResponse): void;
}

export interface FaultsState {
  /** Subscriptions open now, and dropped so far. */
  openSubscriptions: number;
  droppedSubscriptions: number;
  /** Subscriptions armed to drop after some more events. */
  armedSubscriptions: number;
  /** Appends still to refuse (null: every one until cleared; 0: none). */
  refuseAppends: { reason: AppendRefusal; remaining: number | null } | null;
  refusedAppends: number;
  appendDelayMs: number;
}

export interface AppendFault {
  delayMs: number;
  /** Refuse before writing, or (commit-timeout) write and then answer with the error. */
  refusal?: { error: ServerErrorResponse; written: boolean };
}

export function dropError(reason: SubscriptionDrop): ServerErrorResponse {
  switch (reason) {
    case 'consumer-too-slow':
      return grpcError(status.ABORTED, 'Operation timed out: Consumer too slow to handle event while live. Client resubscription required.');
    case 'unavailable':
      return grpcError(status.UNAVAILABLE, 'Server Is Not Ready');
  }
}

function refusalError(reason: AppendRefusal): ServerErrorResponse {
  switch (reason) {
    case 'not-ready':
      return grpcError(status.UNAVAILABLE, 'Server Is Not Ready');
    case 'too-busy':
      return grpcError(status.UNAVAILABLE, 'Server Is Too Busy');
    case 'commit-timeout':
      return grpcError(status.ABORTED, 'Operation timed out: Commit timed out.');
  }
}

export class Faults {
  private readonly open = new Set<DroppableSubscription>();
  /** Subscriptions to drop once they delivered this many more events. */
  private readonly armed = new Map<DroppableSubscription, { left: number; reason: SubscriptionDrop }>();
  private dropped = 0;
  private refusing: { reason: AppendRefusal; remaining: number | null } | null = null;
  private refused = 0;
  private delayMs = 0;

  /** A subscription opened; returns what to call when it closes. */
  track(subscription: DroppableSubscription): () => void {
    this.open.add(subscription);
    return () => {
      this.open.delete(subscription);
      this.armed.delete(subscription);
    };
  }

  /** Called after each event a subscription delivered: drops it when armed and due. */
  delivered(subscription: DroppableSubscription): void {
    const armed = this.armed.get(subscription);
    if (!armed) return;
    armed.left -= 1;
    if (armed.left <= 0) this.dropOne(subscription, armed.reason);
  }

  /** Drops every open subscription now, or each after it delivered `afterEvents` more events. */
  dropSubscriptions(reason: SubscriptionDrop, afterEvents = 0): number {
    const targets = [...this.open];
    for (const subscription of targets) {
      if (afterEvents <= 0) this.dropOne(subscription, reason);
      else this.armed.set(subscription, { left: afterEvents, reason });
    }
    return targets.length;
  }

  /** Refuses the next `count` appends (all of them until cleared when absent). */
  refuseAppends(reason: AppendRefusal, count?: number): void {
    this.refusing = { reason, remaining: count ?? null };
  }

  delayAppends(ms: number): void {
    this.delayMs = Math.max(0, ms);
  }

  clear(): void {
    this.armed.clear();
    this.refusing = null;
    this.delayMs = 0;
  }

  /** What the next append meets. */
  nextAppend(): AppendFault {
    const refusing = this.refusing;
    if (!refusing || refusing.remaining === 0) return { delayMs: this.delayMs };
    if (refusing.remaining !== null) refusing.remaining -= 1;
    this.refused += 1;
    return { delayMs: this.delayMs, refusal: { error: refusalError(refusing.reason), written: refusing.reason === 'commit-timeout' } };
  }

  state(): FaultsState {
    return {
      openSubscriptions: this.open.size,
      droppedSubscriptions: this.dropped,
      armedSubscriptions: this.armed.size,
      refuseAppends: this.refusing && this.refusing.remaining !== 0 ? { ...this.refusing } : null,
      refusedAppends: this.refused,
      appendDelayMs: this.delayMs,
    };
  }

  private dropOne(subscription: DroppableSubscription, reason: SubscriptionDrop): void {
    this.armed.delete(subscription);
    if (!this.open.delete(subscription)) return;
    this.dropped += 1;
    subscription.drop(dropError(reason));
  }
}
