import { randomUUID } from 'node:crypto';
import { ProfileState } from '@cds/domain';
import { followMergeChain } from '../profiles/follow-merge-chain';
import { stampUser } from '../profiles/stamp-user';
import { profileStream } from '../streams/stream-names';
import { appendRaw } from '../testing/append-raw';
import { applicationFixture } from '../testing/application-fixture';
import { Unifier } from './unifier';
import { WHOLE_LOG } from './unifier-partition';

const TENANT = 'acme';
const ACTIVITY = [
  { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
  { attribute_name: 'devices', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
];

type App = ReturnType<typeof applicationFixture>;

async function running(app: App, deps = app.deps): Promise<Unifier> {
  const unifier = new Unifier(app.store, app.checkpoints, deps, { partition: WHOLE_LOG, checkpointEveryMs: 20 });
  await unifier.start();
  return unifier;
}

async function untilUnified(app: App, unifier: Unifier): Promise<void> {
  const head = (await app.store.headPosition())!;
  expect(await unifier.waitFor(head, 10_000)).toBe(true);
}

/** Live profiles of the tenant as a process with nothing cached folds them from the log. */
async function liveProfiles(app: App): Promise<ProfileState[]> {
  const fresh = app.otherProcess().profiles;
  const ids = new Set(app.log.all().filter((e) => e.streamId.startsWith(`profile-${TENANT}.`)).map((e) => e.streamId.split('.')[1]));
  const states = await Promise.all([...ids].map(async (id) => (await fresh.load(TENANT, id)).state.profile));
  return states.filter((state) => state.status === 'active');
}

describe('Unifier', () => {
  it('ends a sign-in storm with exactly one live profile per user, holding every device\'s activity', async () => {
    const app = applicationFixture();
    await app.define(TENANT, 'traits', ACTIVITY);
    const users = Array.from({ length: 60 }, (_, i) => `user-${i}`);
    const devices = await Promise.all(
      users.flatMap((user) => ['phone', 'laptop'].map(async (kind) => ({ user, kind, ...(await app.device(TENANT, { traits: { visits: 1, devices: [kind] } })) }))),
    );
    const unifier = await running(app);
    // Every device signs in at once; requests only stamp, the unifier does the rest.
    await Promise.all(devices.map((d) => stampUser(app.profiles, app.clock, { tenant: TENANT, userId: d.user, anonymousProfileTracker: d.tracker, correlationId: randomUUID() })));
    await untilUnified(app, unifier);
    await unifier.stop();

    const live = await liveProfiles(app);
    for (const user of users) {
      const mine = live.filter((p) => p.user_id === user);
      expect(mine).toHaveLength(1);
      expect(mine[0].attributes.traits).toEqual({ visits: 2, devices: expect.arrayContaining(['phone', 'laptop']) });
      expect(mine[0].merged_from).toHaveLength(1);
    }
    expect(live).toHaveLength(users.length);
  });

  it('loses no write that races a merge', async () => {
    const app = applicationFixture();
    await app.define(TENANT, 'traits', ACTIVITY);
    const users = Array.from({ length: 20 }, (_, i) => `racer-${i}`);
    const devices = await Promise.all(users.flatMap((user) => [0, 1].map(async () => ({ user, ...(await app.device(TENANT)) }))));
    const unifier = await running(app);
    const writesPerDevice = 5;
    await Promise.all([
      ...devices.map((d) => stampUser(app.profiles, app.clock, { tenant: TENANT, userId: d.user, anonymousProfileTracker: d.tracker, correlationId: randomUUID() })),
      ...devices.flatMap((d) => Array.from({ length: writesPerDevice }, () => app.patch(TENANT, d.id, { traits: { visits: 1 } }))),
    ]);
    await untilUnified(app, unifier);
    await unifier.stop();
    const live = await liveProfiles(app);
    expect(live).toHaveLength(users.length);
    for (const profile of live) expect(profile.attributes.traits.visits).toBe(2 * writesPerDevice);
  });

  it('repairs two permanent profiles of one user left by an older version or a fault', async () => {
    const app = applicationFixture();
    await app.define(TENANT, 'traits', ACTIVITY);
    const [first, second] = [await app.device(TENANT, { traits: { visits: 3 } }), await app.device(TENANT, { traits: { visits: 4 } })];
    const at = new Date().toISOString();
    // Both stamped with the same user and never merged; the claim names the first.
    await appendRaw(app.store, profileStream(TENANT, first.id), TENANT, [{ type: 'UserStamped', data: { profile_id: first.id, user_id: 'dup', at } }]);
    await appendRaw(app.store, profileStream(TENANT, second.id), TENANT, [{ type: 'UserStamped', data: { profile_id: second.id, user_id: 'dup', at } }]);
    await appendRaw(app.store, await app.deps.claims.userStream(TENANT, 'dup'), TENANT, [{ type: 'UserIdClaimed', data: { user_id: 'dup', profile_id: first.id, at } }]);

    const unifier = await running(app);
    await untilUnified(app, unifier);
    await unifier.stop();

    const live = (await liveProfiles(app)).filter((p) => p.user_id === 'dup');
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ profile_id: first.id, attributes: { traits: { visits: 7 } } });
  });

  it('completes a merge interrupted between closing one profile and absorbing it', async () => {
    const app = applicationFixture();
    await app.define(TENANT, 'traits', ACTIVITY);
    const [survivor, merged] = [await app.device(TENANT, { traits: { visits: 1 } }), await app.device(TENANT, { traits: { visits: 5 } })];
    await appendRaw(app.store, profileStream(TENANT, merged.id), TENANT, [
      { type: 'ProfileMergedAway', data: { profile_id: merged.id, survivor_id: survivor.id, reason: { kind: 'user_id' }, triggered_by: 'merged', at: new Date().toISOString() } },
    ]);
    // A write to it after the close lands on the survivor.
    await app.patch(TENANT, merged.id, { traits: { devices: ['tablet'] } });

    const unifier = await running(app);
    await untilUnified(app, unifier);
    await unifier.stop();

    const [live] = await liveProfiles(app);
    expect(live).toMatchObject({ profile_id: survivor.id, attributes: { traits: { visits: 6, devices: ['tablet'] } } });
    expect(live.merged_from.map((m) => m.profile_id)).toEqual([merged.id]);
  });

  it('changes nothing when the same log is unified again from the start (a crash before any checkpoint)', async () => {
    const app = applicationFixture();
    await app.define(TENANT, 'traits', ACTIVITY);
    const devices = await Promise.all(['u1', 'u1', 'u2', 'u2', 'u2'].map(async (user) => ({ user, ...(await app.device(TENANT, { traits: { visits: 1 } })) })));
    for (const d of devices) await stampUser(app.profiles, app.clock, { tenant: TENANT, userId: d.user, anonymousProfileTracker: d.tracker, correlationId: randomUUID() });
    const first = await running(app);
    await untilUnified(app, first);
    await first.stop();
    const log = app.log.all().filter((e) => e.streamId.startsWith('profile-'));

    const again = new Unifier(app.store, app.checkpoints, app.otherProcess().deps, { partition: WHOLE_LOG, only: { name: 'from-scratch', tenants: [TENANT] } });
    await again.start();
    await untilUnified(app, again);
    await again.stop();
    expect(app.log.all().filter((e) => e.streamId.startsWith('profile-'))).toEqual(log);
    expect((await liveProfiles(app)).map((p) => [p.user_id, p.attributes.traits.visits]).sort()).toEqual([
      ['u1', 2],
      ['u2', 3],
    ]);
  });

  it('merges profiles that share an identity value, following chains, by the rules', async () => {
    // A clock that moves, so "the older profile survives" has one answer.
    let t = Date.parse('2026-01-01T00:00:00Z');
    const app = applicationFixture({ now: () => new Date((t += 1000)) });
    await app.define(TENANT, 'traits', ACTIVITY);
    await app.define(TENANT, 'identity_attributes', [
      { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' },
      { attribute_name: 'phone', value_type: 'string', merge_strategy: 'overwrite' },
    ]);
    await app.rules.execute(TENANT, { type: 'AddRule', ruleId: 'r-email', input: { rule_name: 'Email', property_name: 'identity_attributes.email' }, at: new Date().toISOString() }, randomUUID());
    await app.rules.execute(TENANT, { type: 'AddRule', ruleId: 'r-phone', input: { rule_name: 'Phone', property_name: 'identity_attributes.phone' }, at: new Date().toISOString() }, randomUUID());
    const unifier = await running(app);
    const a = await app.device(TENANT, { identity_attributes: { email: 'ada@example.com' }, traits: { visits: 1 } });
    const b = await app.device(TENANT, { identity_attributes: { phone: '+100' }, traits: { visits: 2 } });
    // c links a (by email) and b (by phone): all three are one person.
    await app.device(TENANT, { identity_attributes: { email: 'ada@example.com', phone: '+100' }, traits: { visits: 4 } });
    await untilUnified(app, unifier);
    await unifier.stop();
    const live = await liveProfiles(app);
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ profile_id: a.id, attributes: { traits: { visits: 7 } } });
    expect((await followMergeChain(app.profiles, TENANT, b.id)).live?.state.profileId).toBe(a.id);
  });
});
