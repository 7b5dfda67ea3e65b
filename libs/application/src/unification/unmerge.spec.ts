import { randomUUID } from 'node:crypto';
import { ProfileState } from '@cds/domain';
import { requestMerge } from '../profiles/request-merge';
import { requestUnmerge } from '../profiles/request-unmerge';
import { stampUser } from '../profiles/stamp-user';
import { applicationFixture } from '../testing/application-fixture';
import { Unifier } from './unifier';
import { WHOLE_LOG } from './unifier-partition';

const TENANT = 'acme';

type App = ReturnType<typeof applicationFixture>;

/** A clock that moves, so "older" and "later" have one answer. */
function movingClock() {
  let t = Date.parse('2026-01-01T00:00:00Z');
  return { now: () => new Date((t += 1000)) };
}

async function withActivity(app: App) {
  await app.define(TENANT, 'traits', [
    { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
    { attribute_name: 'pages', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
    { attribute_name: 'last_page', value_type: 'string', merge_strategy: 'overwrite' },
    { attribute_name: 'first_page', value_type: 'string', merge_strategy: 'oldest' },
  ]);
  await app.define(TENANT, 'identity_attributes', [{ attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' }]);
}

async function unified(app: App, unifier: Unifier): Promise<void> {
  expect(await unifier.waitFor((await app.store.headPosition())!, 10_000)).toBe(true);
}

/** A profile as a process with nothing cached folds it from the log. */
const fresh = async (app: App, id: string): Promise<ProfileState> => (await app.otherProcess().profiles.load(TENANT, id)).state.profile;

describe('unmerge', () => {
  let app: App;
  let unifier: Unifier;

  beforeEach(async () => {
    app = applicationFixture(movingClock());
    await withActivity(app);
    unifier = new Unifier(app.store, app.checkpoints, app.deps, { partition: WHOLE_LOG });
    await unifier.start();
  });
  afterEach(() => unifier.stop());

  const signIn = (userId: string, tracker: string) => stampUser(app.profiles, app.clock, { tenant: TENANT, userId, anonymousProfileTracker: tracker, correlationId: randomUUID() });

  /** Two devices of one user, merged by user_id, each written to through its own id after the merge. */
  async function mergedDevices() {
    const phone = await app.device(TENANT, { traits: { visits: 1, pages: ['/phone'], last_page: '/phone', first_page: '/phone' } });
    const laptop = await app.device(TENANT, { traits: { visits: 10, pages: ['/laptop'], last_page: '/laptop', first_page: '/laptop' } });
    await signIn('ann', phone.tracker);
    await signIn('ann', laptop.tracker);
    await unified(app, unifier);
    expect((await fresh(app, laptop.id)).merged_into).toBe(phone.id);
    // Writes through each id after the merge all land on the survivor.
    await app.patch(TENANT, phone.id, { traits: { visits: 2, pages: ['/phone-later'], last_page: '/phone-later' } });
    await app.patch(TENANT, laptop.id, { traits: { visits: 20, pages: ['/laptop-later'], last_page: '/laptop-later' } });
    expect((await fresh(app, phone.id)).attributes.traits).toMatchObject({ visits: 33 });
    return { phone, laptop };
  }

  it('splits exactly as well with nothing of the survivor kept in memory (a unifier started after the merge)', async () => {
    const { phone, laptop } = await mergedDevices();
    await unifier.stop();
    unifier = new Unifier(app.store, app.checkpoints, app.deps, { partition: WHOLE_LOG });
    await unifier.start();
    await requestUnmerge(app.profiles, app.clock, { tenant: TENANT, profileId: phone.id, mergedId: laptop.id, correlationId: randomUUID() });
    await unified(app, unifier);

    expect((await fresh(app, phone.id)).attributes.traits).toEqual({ visits: 3, pages: ['/phone', '/phone-later'], last_page: '/phone-later', first_page: '/phone' });
    expect((await fresh(app, laptop.id)).attributes.traits).toEqual({ visits: 30, pages: ['/laptop', '/laptop-later'], last_page: '/laptop-later', first_page: '/laptop' });
  });

  it('gives each side exactly its own writes back, under every strategy', async () => {
    const { phone, laptop } = await mergedDevices();
    await requestUnmerge(app.profiles, app.clock, { tenant: TENANT, profileId: phone.id, mergedId: laptop.id, correlationId: randomUUID() });
    await unified(app, unifier);

    const [survivor, split] = [await fresh(app, phone.id), await fresh(app, laptop.id)];
    expect(survivor.attributes.traits).toEqual({ visits: 3, pages: ['/phone', '/phone-later'], last_page: '/phone-later', first_page: '/phone' });
    expect(split.attributes.traits).toEqual({ visits: 30, pages: ['/laptop', '/laptop-later'], last_page: '/laptop-later', first_page: '/laptop' });
    expect(survivor).toMatchObject({ status: 'active', user_id: 'ann', merged_from: [], absorbed: [], kept_apart: [laptop.id] });
    // The user said that device is not theirs: its stamp goes with the merge.
    expect(split).toMatchObject({ status: 'active', user_id: null, verified: false, merged_into: null, kept_apart: [phone.id] });
    expect(split.trackers).toEqual([laptop.tracker]);
    expect(survivor.trackers).toEqual([phone.tracker]);
  });

  it('takes the sub-tree along: profiles merged into the split-off one before go with it', async () => {
    const tablet = await app.device(TENANT, { traits: { visits: 100 } });
    const laptop = await app.device(TENANT, { traits: { visits: 10 } });
    const phone = await app.device(TENANT, { traits: { visits: 1 } });
    await signIn('bo', laptop.tracker);
    await signIn('bo', tablet.tracker);
    await unified(app, unifier);
    // laptop absorbed tablet; phone takes laptop by hand.
    await requestMerge(app.profiles, app.clock, { tenant: TENANT, profileId: phone.id, otherId: laptop.id, correlationId: randomUUID() });
    await unified(app, unifier);
    expect((await fresh(app, phone.id)).attributes.traits.visits).toBe(111);

    await requestUnmerge(app.profiles, app.clock, { tenant: TENANT, profileId: phone.id, mergedId: laptop.id, correlationId: randomUUID() });
    await unified(app, unifier);
    expect((await fresh(app, phone.id)).attributes.traits.visits).toBe(1);
    const split = await fresh(app, laptop.id);
    expect(split.attributes.traits.visits).toBe(110);
    expect(split.merged_from.map((m) => m.profile_id)).toEqual([tablet.id]);
    // A manual merge carries no user stamp to cancel.
    expect(split.user_id).toBe('bo');
  });

  it('keeps the pair apart from rule matches, records the block, and lets a manual merge join them again', async () => {
    await app.rules.execute(TENANT, { type: 'AddRule', ruleId: 'r-email', input: { rule_name: 'Email', property_name: 'identity_attributes.email' }, at: app.clock.now().toISOString() }, randomUUID());
    const a = await app.device(TENANT, { identity_attributes: { email: 'family@example.com' }, traits: { visits: 1 } });
    const b = await app.device(TENANT, { identity_attributes: { email: 'family@example.com' }, traits: { visits: 2 } });
    await unified(app, unifier);
    expect((await fresh(app, b.id)).merged_into).toBe(a.id);

    await requestUnmerge(app.profiles, app.clock, { tenant: TENANT, profileId: a.id, mergedId: b.id, correlationId: randomUUID() });
    await unified(app, unifier);
    // The rule matches again on the next write; the pair stays apart, and that is on record.
    await app.patch(TENANT, b.id, { identity_attributes: { email: 'family@example.com' }, traits: { visits: 1 } });
    await unified(app, unifier);
    const [first, second] = [await fresh(app, a.id), await fresh(app, b.id)];
    expect([first.status, second.status]).toEqual(['active', 'active']);
    expect(second.attributes.traits.visits).toBe(3);
    expect(second.merge_blocks).toEqual([{ profile_id: a.id, rule_name: 'Email', reason: 'kept_apart' }]);

    await requestMerge(app.profiles, app.clock, { tenant: TENANT, profileId: a.id, otherId: b.id, correlationId: randomUUID() });
    await unified(app, unifier);
    const joined = await fresh(app, a.id);
    expect(joined.attributes.traits.visits).toBe(4);
    expect(joined.kept_apart).toEqual([]);
    expect(joined.merged_from).toEqual([expect.objectContaining({ profile_id: b.id, reason: { kind: 'manual' } })]);
  });

  it('merges a split-off device again when the user signs in there again', async () => {
    const { phone, laptop } = await mergedDevices();
    await requestUnmerge(app.profiles, app.clock, { tenant: TENANT, profileId: phone.id, mergedId: laptop.id, correlationId: randomUUID() });
    await unified(app, unifier);
    await signIn('ann', laptop.tracker);
    await unified(app, unifier);
    expect(await fresh(app, laptop.id)).toMatchObject({ status: 'merged', merged_into: phone.id });
    expect((await fresh(app, phone.id)).attributes.traits.visits).toBe(33);
  });

  it('refuses to split off a profile that is not merged into this one, and appends nothing', async () => {
    const { phone, laptop } = await mergedDevices();
    const stranger = await app.device(TENANT);
    const before = app.log.all().length;
    await expect(requestUnmerge(app.profiles, app.clock, { tenant: TENANT, profileId: phone.id, mergedId: stranger.id, correlationId: randomUUID() })).rejects.toMatchObject({
      code: 'not_merged_here',
      kind: 'conflict',
    });
    await expect(requestUnmerge(app.profiles, app.clock, { tenant: TENANT, profileId: laptop.id, mergedId: phone.id, correlationId: randomUUID() })).rejects.toMatchObject({
      code: 'not_merged_here',
    });
    expect(app.log.all()).toHaveLength(before);
  });

  it('changes nothing when the log is unified again from the start', async () => {
    const { phone, laptop } = await mergedDevices();
    await requestUnmerge(app.profiles, app.clock, { tenant: TENANT, profileId: phone.id, mergedId: laptop.id, correlationId: randomUUID() });
    await unified(app, unifier);
    const log = app.log.all().filter((e) => e.streamId.startsWith('profile-'));
    const again = new Unifier(app.store, app.checkpoints, app.otherProcess().deps, { partition: WHOLE_LOG, only: { name: 'again', tenants: [TENANT] } });
    await again.start();
    await unified(app, again);
    await again.stop();
    expect(app.log.all().filter((e) => e.streamId.startsWith('profile-'))).toEqual(log);
  });
});
