import { toUnifiedProfile, UnifiedProfile } from '@cds/domain';
import { EventStore, LogPosition } from '../ports/event-store.port';
import { CATEGORY, parseStreamName } from '../streams/stream-names';
import { isWithinCut, LogCut } from './log-cut';
import { foldProfileEvents } from './profile-as-of';

export interface ReplayedProfile {
  tenant: string;
  profile: UnifiedProfile;
}

export interface ReplayOptions {
  /** Events per read while collecting the profile streams. */
  pageSize?: number;
  /** Streams read ahead while folding (the output keeps its order). */
  concurrency?: number;
  /** Only these tenants. */
  tenants?: string[];
  /** Called while collecting streams, with the position reached. */
  onScan?: (position: LogPosition, streams: number) => void;
}

export interface PreparedReplay {
  /** The cut as a log position: the last profile event within it; null when none is. */
  position: LogPosition | null;
  /** Profile streams within the cut: live, merged-away and erased ones. */
  streams: number;
  /**
   * Every profile that was live at the cut, as it was then, in (tenant, profile_id) order.
   * Streams are folded one at a time (a few read ahead): memory holds the stream names, never
   * all the profiles. `onProgress` gets the number of streams folded so far.
   */
  profiles(onProgress?: (folded: number) => void): AsyncGenerator<ReplayedProfile>;
}

const PROFILE_PREFIX = `${CATEGORY.profile}-`;

/**
 * Replays the log up to a cut. First the profile streams that have an event within the cut are
 * collected from the log (one pass, memory in the number of profiles); then each is folded up to
 * the cut. Folds are self-contained (a merge carries the merged profile and the merge rules then
 * in force), so every profile comes out with the schema and rules that applied at each event.
 */
export async function prepareReplay(store: EventStore, cut: LogCut, options: ReplayOptions = {}): Promise<PreparedReplay> {
  const pageSize = options.pageSize ?? 4096;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const tenants = options.tenants && options.tenants.length > 0 ? new Set(options.tenants) : null;
  const seen = new Set<string>();
  let position: LogPosition | null = null;
  let after: LogPosition | undefined;
  scan: for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize, filter: { streamPrefixes: [PROFILE_PREFIX] } });
    for (const event of page) {
      if (!isWithinCut(cut, event)) break scan;
      position = event.position;
      const parsed = parseStreamName(event.streamId);
      if (parsed?.key && (tenants === null || tenants.has(parsed.tenant))) seen.add(event.streamId);
    }
    if (page.length < pageSize) break;
    after = page[page.length - 1].position;
    options.onScan?.(after, seen.size);
  }
  const streams = [...seen].map((streamId) => {
    const parsed = parseStreamName(streamId)!;
    return { streamId, tenant: parsed.tenant, profileId: parsed.key! };
  });
  seen.clear();
  streams.sort((a, b) => compare(a.tenant, b.tenant) || compare(a.profileId, b.profileId));
  const positionCut: LogCut | null = position === null ? null : { kind: 'position', position };

  async function fold(stream: (typeof streams)[number]): Promise<ReplayedProfile | null> {
    const folded = foldProfileEvents(stream.profileId, await store.readStream(stream.streamId), positionCut!);
    return folded.state.status === 'active' ? { tenant: stream.tenant, profile: toUnifiedProfile(stream.tenant, folded.state) } : null;
  }

  return {
    position,
    streams: streams.length,
    async *profiles(onProgress) {
      if (positionCut === null) return;
      type Outcome = { value: ReplayedProfile | null } | { error: unknown };
      const window: Promise<Outcome>[] = [];
      let next = 0;
      const launch = () => {
        if (next >= streams.length) return;
        // Settled into an outcome so a failure while another is awaited is never left unhandled.
        window.push(fold(streams[next++]).then((value) => ({ value }), (error: unknown) => ({ error })));
      };
      for (let i = 0; i < concurrency; i++) launch();
      let folded = 0;
      while (window.length > 0) {
        const outcome = await window.shift()!;
        launch();
        if ('error' in outcome) throw outcome.error;
        onProgress?.(++folded);
        if (outcome.value !== null) yield outcome.value;
      }
    },
  };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
