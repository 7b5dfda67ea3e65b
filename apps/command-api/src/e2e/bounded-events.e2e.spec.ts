import { EVENT_STORE, EventStore } from '@cds/application';
import { ActivityIngestService } from '../activity-ingest/activity-ingest.service';
import { IN_PROCESS_KAFKA } from '../../test/in-process-kafka';
import { ApiClient, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

const KAFKA = IN_PROCESS_KAFKA;
const ACTIVITIES = 50_000;
const MAX_EVENT_BYTES = 64 * 1024;

/**
 * No event grows with a profile's lifetime: a profile fed by 50,000 Kafka activities (each with
 * its own event_id, an idempotency key) still merges with an event far below the log's limits.
 */
describe('events stay bounded', () => {
  let running: RunningApp;
  let api: ApiClient;

  beforeAll(async () => {
    running = await startTestApp();
    api = new ApiClient(running.baseUrl, 'bounded');
    expectStatus(await api.defineAttributes('traits', [{ attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }]), 201);
  });
  afterAll(() => running.stop());

  it(`merges a profile that took ${ACTIVITIES} Kafka activities with no event over 64 KiB`, async () => {
    const busy = await api.createProfile({});
    const other = await api.createProfile({ traits: { visits: 1 } });
    const ingest = running.app.get(ActivityIngestService);
    // Batches of one key, as the consumer hands them over.
    for (let sent = 0; sent < ACTIVITIES; sent += 500) {
      const outcomes = await ingest.handle(
        KAFKA,
        Array.from({ length: 500 }, (_, i) => ({
          topic: KAFKA.activityTopic,
          partition: 0,
          offset: String(sent + i),
          key: busy.body.profile_id,
          value: JSON.stringify({ org: 'bounded', event_id: `activity-${sent + i}`, profile_id: busy.body.profile_id, traits: { visits: 1 } }),
        })),
      );
      expect(outcomes.filter((o) => o.kind !== 'applied')).toEqual([]);
    }
    expectStatus(await api.signIn('busy-user', other.body.anonymous_profile_tracker), 200);
    const merged = await api.signIn('busy-user', busy.body.anonymous_profile_tracker);
    expectStatus(merged, 200);
    expect(merged.body.traits.visits).toBe(ACTIVITIES + 1);

    const store = running.app.get<symbol, EventStore>(EVENT_STORE);
    let largest = 0;
    for (let after: number | undefined = undefined; ; ) {
      const page = await store.readAll({ after, maxCount: 10_000 });
      if (page.length === 0) break;
      for (const event of page) largest = Math.max(largest, Buffer.byteLength(JSON.stringify(event.data)));
      after = page[page.length - 1].position;
    }
    expect(largest).toBeLessThan(MAX_EVENT_BYTES);
  });
});
