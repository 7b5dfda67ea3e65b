import { toUnifiedProfile } from '@cds/domain';
import { RecordedEvent } from '../ports/event-store.port';
import { applicationFixture } from '../testing/application-fixture';
import { AsOfSnapshots } from './as-of-snapshots';
import { LogCut } from './log-cut';
import { readProfileAsOf, StreamAsOf } from './profile-as-of';

const TENANT = 'acme';

/** A profile with `writes` writes after its creation, and the position of each. */
async function longProfile(writes: number) {
  const fixture = applicationFixture();
  await fixture.define(TENANT, 'traits', [
    { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
    { attribute_name: 'pages', value_type: 'string', multi_valued: true, merge_strategy: 'combine', max_values: 5 },
  ]);
  const { id } = await fixture.device(TENANT);
  const positions: number[] = [];
  for (let i = 0; i < writes; i++) positions.push((await fixture.patch(TENANT, id, { traits: { visits: 1, pages: [`/p${i % 7}`] } })).position!);
  return { fixture, id, positions };
}

const at = (position: number): LogCut => ({ kind: 'position', position });

describe('readProfileAsOf with snapshots', () => {
  it('answers every point of a long history as a fold from its first event does, in any order of asking', async () => {
    const { fixture, id, positions } = await longProfile(1300);
    const snapshots = new AsOfSnapshots<StreamAsOf>();
    const cuts = [positions[1299], positions[0], positions[255], positions[256], positions[700], positions[511], positions[1024], positions[5], positions[1299]];
    for (const position of cuts) {
      const fromScratch = await readProfileAsOf(fixture.store, TENANT, id, at(position));
      expect(await readProfileAsOf(fixture.store, TENANT, id, at(position), snapshots)).toEqual(fromScratch);
      expect(fromScratch?.position).toBe(position);
    }
    const [first] = await fixture.store.readStream(`profile-${TENANT}.${id}`, { maxCount: 1 });
    const byTime: LogCut = { kind: 'time', time: first.created, epochMs: Date.parse(first.created) };
    expect(await readProfileAsOf(fixture.store, TENANT, id, byTime, snapshots)).toEqual(await readProfileAsOf(fixture.store, TENANT, id, byTime));
  });

  it('reads an erased profile as gone, though snapshots of its history were kept', async () => {
    const { fixture, id, positions } = await longProfile(600);
    const snapshots = new AsOfSnapshots<StreamAsOf>();
    const before = await readProfileAsOf(fixture.store, TENANT, id, at(positions[599]), snapshots);
    expect(toUnifiedProfile(TENANT, before!.state).traits.visits).toBe(600);

    await fixture.keys.erase(TENANT, [id]);
    // Every point, including those where a kept fold ends (the 256th and 512th events of the stream).
    for (const position of [positions[599], positions[300], positions[254], positions[510]]) {
      expect(await readProfileAsOf(fixture.store, TENANT, id, at(position), snapshots)).toBeNull();
    }
  });
});

describe('AsOfSnapshots', () => {
  const event = (revision: number): RecordedEvent => ({
    id: `e-${revision}`,
    streamId: 's',
    revision,
    position: revision + 1,
    type: 'AttributePatched',
    data: {},
    metadata: { tenant: TENANT, schema_version: 1 },
    created: '2026-01-01T00:00:00.000Z',
  });

  it('keeps a bounded number of snapshots of a stream however long it is, spread over all of it', () => {
    const snapshots = new AsOfSnapshots<number>();
    for (let revision = 0; revision < 100_000; revision++) if (snapshots.due(event(revision))) snapshots.remember(event(revision), revision);
    expect(snapshots.count('s')).toBeLessThanOrEqual(32);
    expect(snapshots.latestWithin('s', at(100_000))!.revision).toBeGreaterThan(90_000);
    expect(snapshots.latestWithin('s', at(10_000))!.revision).toBeGreaterThan(5_000);
    expect(snapshots.latestWithin('s', at(100))).toBeUndefined();
  });
});
