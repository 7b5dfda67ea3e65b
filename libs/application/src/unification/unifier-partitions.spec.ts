import { randomUUID } from 'node:crypto';
import { ProfileState } from '@cds/domain';
import { InMemoryLeaseStore } from '../processing/in-memory-lease-store';
import { LeaseKeeper } from '../processing/lease-keeper';
import { stampUser } from '../profiles/stamp-user';
import { applicationFixture } from '../testing/application-fixture';
import { tenantPartition } from './unifier-partition';
import { UnifierPartitions } from './unifier-partitions';

const PARTITIONS = 4;
const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark'];
const VISITS = [{ attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }];

type App = ReturnType<typeof applicationFixture>;

/** One process taking part: its own caches and unifiers, the log, checkpoints and leases shared. */
function takingPart(app: App, leases: InMemoryLeaseStore, name: string) {
  const partitions = new UnifierPartitions(app.store, app.checkpoints, app.otherProcess().deps, { count: PARTITIONS, checkpointEveryMs: 10, pollMs: 5 });
  const keeper = new LeaseKeeper({ store: leases, group: 'unifier/tenants', partitions: PARTITIONS, holder: name, ttlMs: 300, intervalMs: 50 }, partitions);
  return { partitions, keeper };
}

async function devices(app: App, usersPerTenant: number) {
  const all: Array<{ tenant: string; user: string; tracker: string }> = [];
  for (const tenant of TENANTS) {
    await app.define(tenant, 'traits', VISITS);
    for (let u = 0; u < usersPerTenant; u++) {
      for (let d = 0; d < 2; d++) all.push({ tenant, user: `user-${u}`, tracker: (await app.device(tenant, { traits: { visits: 1 } })).tracker });
    }
  }
  return all;
}

async function liveProfiles(app: App, tenant: string): Promise<ProfileState[]> {
  const fresh = app.otherProcess().profiles;
  const ids = new Set(app.log.all().filter((e) => e.streamId.startsWith(`profile-${tenant}.`)).map((e) => e.streamId.split('.')[1]));
  const states = await Promise.all([...ids].map(async (id) => (await fresh.load(tenant, id)).state.profile));
  return states.filter((state) => state.status === 'active');
}

async function expectOneProfilePerUser(app: App, usersPerTenant: number): Promise<void> {
  for (const tenant of TENANTS) {
    const live = await liveProfiles(app, tenant);
    expect(live).toHaveLength(usersPerTenant);
    for (const profile of live) expect(profile.attributes.traits).toEqual({ visits: 2 });
  }
}

/** Where a sign-in's stamp landed (every sign-in here stamps). */
function appended(position: number | null): number {
  if (position === null) throw new Error('the sign-in appended nothing');
  return position;
}

const until = async (condition: () => boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('UnifierPartitions', () => {
  it('spreads the partitions over the processes, and a sign-in answered by either waits for its tenant\'s unifier', async () => {
    const app = applicationFixture();
    const leases = new InMemoryLeaseStore();
    const signIns = await devices(app, 10);
    expect(new Set(TENANTS.map((t) => tenantPartition(t, PARTITIONS))).size).toBeGreaterThan(1);
    const [a, b] = [takingPart(app, leases, 'a'), takingPart(app, leases, 'b')];
    await a.keeper.start();
    await b.keeper.start();
    await until(() => a.keeper.status().held.length === 2 && b.keeper.status().held.length === 2);

    const waits = await Promise.all(
      signIns.map(async (signIn, i) => {
        const stamped = await stampUser(app.profiles, app.clock, { tenant: signIn.tenant, userId: signIn.user, anonymousProfileTracker: signIn.tracker, correlationId: randomUUID() });
        // Answered by one process or the other, whichever holds the tenant's partition.
        return (i % 2 === 0 ? a : b).partitions.waitFor(signIn.tenant, appended(stamped.position), 10_000);
      }),
    );
    expect(waits.every(Boolean)).toBe(true);
    await Promise.all([a.keeper.stop(), b.keeper.stop()]);
    await expectOneProfilePerUser(app, 10);
  });

  it('hands a leaving process\'s partitions to the one that stays, which goes on from their checkpoints', async () => {
    const app = applicationFixture();
    const leases = new InMemoryLeaseStore();
    const signIns = await devices(app, 8);
    const [a, b] = [takingPart(app, leases, 'a'), takingPart(app, leases, 'b')];
    await a.keeper.start();
    await b.keeper.start();
    await until(() => a.keeper.status().held.length === 2);

    const half = signIns.length / 2;
    const stamp = (signIn: (typeof signIns)[number]) =>
      stampUser(app.profiles, app.clock, { tenant: signIn.tenant, userId: signIn.user, anonymousProfileTracker: signIn.tracker, correlationId: randomUUID() });
    await Promise.all(signIns.slice(0, half).map(stamp));
    await a.keeper.stop();
    await until(() => b.keeper.status().held.length === PARTITIONS);
    const last = await Promise.all(signIns.slice(half).map(stamp));
    const head = Math.max(...last.map((s) => appended(s.position)));
    expect(await Promise.all(TENANTS.map((tenant) => b.partitions.waitFor(tenant, head, 10_000)))).toEqual(TENANTS.map(() => true));
    await b.keeper.stop();
    await expectOneProfilePerUser(app, 8);
  });

  it('answers a wait false when no process holds the tenant\'s partition', async () => {
    const app = applicationFixture();
    const signIns = await devices(app, 1);
    const stamped = await stampUser(app.profiles, app.clock, { tenant: signIns[0].tenant, userId: 'u', anonymousProfileTracker: signIns[0].tracker, correlationId: randomUUID() });
    const idle = takingPart(app, new InMemoryLeaseStore(), 'idle');
    expect(await idle.partitions.waitFor(signIns[0].tenant, appended(stamped.position), 100)).toBe(false);
  });
});
