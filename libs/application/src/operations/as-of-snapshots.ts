import { BoundedCache } from '../personal-data/bounded-cache';
import { LogPosition, RecordedEvent } from '../ports/event-store.port';
import { isWithinCut, LogCut } from './log-cut';

/** A stream folded from its first event up to and including one of them. */
export interface AsOfSnapshot<F> {
  readonly folded: F;
  /** The event the fold ends on, as it read then: the fold stands only while it still reads so. */
  readonly revision: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly position: LogPosition;
  readonly created: string;
}

/** A fold leaves a snapshot every this many events of a stream at first. */
const FIRST_SPACING = 256;
/** Past this many snapshots of one stream, every other one goes and the spacing doubles. */
const MOST_PER_STREAM = 32;
/** Streams whose snapshots are kept (the least recently read go first). */
const STREAMS_KEPT = 16;

interface StreamSnapshots<F> {
  spacing: number;
  /** By revision, ascending. */
  list: Array<AsOfSnapshot<F>>;
}

/**
 * Folds of long streams kept part way, so that reading a profile as of many points of its history
 * folds each stretch of it once: an answer starts from the latest snapshot within its cut. Bounded:
 * at most 32 snapshots for each of 16 streams. The caller checks that a snapshot's last event
 * still reads as it did (an erased subject's events read as its erasure) before it starts from it.
 */
export class AsOfSnapshots<F> {
  private readonly streams = new BoundedCache<StreamSnapshots<F>>(STREAMS_KEPT);

  /** The latest snapshot of the stream that lies within the cut (any, without a cut). */
  latestWithin(streamId: string, cut: LogCut | undefined): AsOfSnapshot<F> | undefined {
    const list = this.streams.get(streamId)?.list ?? [];
    for (let i = list.length - 1; i >= 0; i--) if (cut === undefined || isWithinCut(cut, list[i])) return list[i];
    return undefined;
  }

  /** Whether a fold that just folded `event` should leave a snapshot there. */
  due(event: Pick<RecordedEvent, 'streamId' | 'revision'>): boolean {
    const kept = this.streams.get(event.streamId);
    const spacing = kept?.spacing ?? FIRST_SPACING;
    return (event.revision + 1) % spacing === 0 && !kept?.list.some((snapshot) => snapshot.revision === event.revision);
  }

  remember(event: RecordedEvent, folded: F): void {
    const kept = this.streams.get(event.streamId) ?? { spacing: FIRST_SPACING, list: [] };
    const snapshot = { folded, revision: event.revision, eventId: event.id, eventType: event.type, position: event.position, created: event.created };
    kept.list = [...kept.list.filter((s) => s.revision < event.revision), snapshot, ...kept.list.filter((s) => s.revision > event.revision)];
    if (kept.list.length > MOST_PER_STREAM) {
      kept.spacing *= 2;
      kept.list = kept.list.filter((s) => (s.revision + 1) % kept.spacing === 0);
    }
    this.streams.set(event.streamId, kept);
  }

  /** Drops a stream's snapshots (one of them no longer reads as it did). */
  forget(streamId: string): void {
    this.streams.delete(streamId);
  }

  /** How many snapshots of the stream are kept. */
  count(streamId: string): number {
    return this.streams.get(streamId)?.list.length ?? 0;
  }
}
