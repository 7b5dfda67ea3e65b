import { decodeProfileEvent, profileRefOf, RecordedEvent } from '@cds/application';
import { evolveProfile, initialProfileState, ProfileState } from '@cds/domain';
import { BenchModule } from './bench-module';
import { elapsedMs, log } from './measure';
import { withRealisticLog } from './realistic-log';

/**
 * The ceiling: decoding and folding every profile event in memory (the domain's evolve, one state
 * per profile stream in a Map), with the log already read and its JSON already parsed. Only the
 * fold is timed, page by page.
 */
export const foldCeiling: BenchModule = {
  name: 'fold',
  async run(context) {
    log('measuring the fold ceiling');
    return withRealisticLog(context, async (store) => {
      const states = new Map<string, ProfileState>();
      let after: number | undefined;
      let events = 0;
      let foldMs = 0;
      for (;;) {
        const page = await store.readAll({ after, maxCount: 5000 });
        if (page.length === 0) break;
        after = page[page.length - 1].position;
        page.forEach(parsePayload);
        const start = process.hrtime.bigint();
        for (const recorded of page) {
          let state = states.get(recorded.streamId);
          if (state === undefined) {
            const ref = profileRefOf(recorded);
            if (!ref) continue;
            state = initialProfileState(ref.profileId);
          }
          states.set(recorded.streamId, evolveProfile(state, decodeProfileEvent(recorded)));
          events++;
        }
        foldMs += elapsedMs(start);
      }
      return { events, profiles: states.size, events_per_s: Math.round(events / (foldMs / 1000)) };
    });
  },
  targets: (figures) => [{ name: 'fold ceiling (decode + evolve)', measured: figures.events_per_s as number, target: 1_000_000, better: 'higher', unit: 'events/s' }],
};

/** The log parses payloads when they are first read: read them here, outside the timed fold. */
function parsePayload(event: RecordedEvent): void {
  if (event.data === undefined || event.metadata === undefined) throw new Error(`event ${event.id} has no payload`);
}
