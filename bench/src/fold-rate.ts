import { decodeProfileEvent, EventStore, profileRefOf, documentKey } from '@cds/application';
import { evolveProfile, initialProfileState, ProfileState } from '@cds/domain';
import { elapsedMs } from './measure';

/**
 * The ceiling: decoding and folding every profile event in memory, with the log already read.
 * Reading pages is not timed; only the fold is.
 */
export async function measureFoldRate(store: EventStore): Promise<{ events: number; events_per_s: number }> {
  const states = new Map<string, ProfileState>();
  let after: number | undefined;
  let events = 0;
  let foldMs = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 5000 });
    if (page.length === 0) break;
    after = page[page.length - 1].position;
    const start = process.hrtime.bigint();
    for (const recorded of page) {
      const ref = profileRefOf(recorded);
      if (!ref) continue;
      const key = documentKey(ref);
      states.set(key, evolveProfile(states.get(key) ?? initialProfileState(ref.profileId), decodeProfileEvent(recorded)));
      events++;
    }
    foldMs += elapsedMs(start);
  }
  return { events, events_per_s: Math.round(events / (foldMs / 1000)) };
}
