import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCheckpoints, FileEventStore, FileKeyStore } from '@cds/adapters-embedded';
import {
  createProfile,
  EventStore,
  generateMasterKey,
  InMemoryKeyStore,
  masterKeys,
  ProfileStreams,
  RulesService,
  SchemaService,
  SealingEventStore,
  stampUser,
  SubjectKeys,
  systemClock,
  UnificationClaims,
  Unifier,
  WHOLE_LOG,
} from '@cds/application';
import { parseAttributeWrites } from '@cds/domain';
import { elapsedMs, round, summarize } from './measure';
import { BenchService, bearer } from './service';

const ORG = 'bench-storm';

/**
 * A sign-in storm over HTTP: `users` users, two devices each, every device signs in, `connections`
 * requests in flight. For each user's second sign-in: the time from sending it to the permanent
 * profile readable with both devices merged (the sign-in's answer, then a GET waiting for its
 * position).
 */
export async function measureSignInStorm(service: BenchService, users: number, connections = 64) {
  const auth = await bearer(service, ORG);
  const api = `/t/${ORG}/cds/api/v1`;
  await service.call('POST', `${api}/profile-schema/traits`, [{ attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }], auth);
  const devices = await inParallel(connections, users * 2, async (i) => {
    const created = await service.call('POST', `${api}/profiles`, { traits: { visits: 1 } }, auth);
    return { user: `storm-${Math.floor(i / 2)}`, tracker: created.body.anonymous_profile_tracker as string };
  });
  const signedIn = new Set<string>();
  const samples: number[] = [];
  let failures = 0;
  const started = process.hrtime.bigint();
  // Users in order, their devices interleaved: the second device of a user follows its first closely.
  await inParallel(connections, devices.length, async (i) => {
    const device = devices[i];
    const start = process.hrtime.bigint();
    const answer = await service.call('POST', `${api}/profiles/sync`, { user_id: device.user, anonymous_profile_tracker: device.tracker }, auth);
    if (answer.status !== 200) {
      failures++;
      return;
    }
    if (!signedIn.has(device.user)) {
      signedIn.add(device.user);
      return;
    }
    const read = await service.call('GET', `${api}/profiles/${answer.body.profile_id}?wait_for_position=${answer.headers['cds-log-position']}`, undefined, auth);
    samples.push(elapsedMs(start));
    if (read.body.traits?.visits !== 2) failures++;
  });
  const seconds = elapsedMs(started) / 1000;
  return { users, connections, sign_ins: devices.length, failures, sign_ins_per_s: Math.round(devices.length / seconds), merged_readable: summarize(samples) };
}

/**
 * The unifier alone: a log with `users` users signed in on two devices each is written with no
 * unifier running; then one starts and the time until it has carried out every merge is taken.
 */
export async function measureUnifierThroughput(users: number) {
  const dir = mkdtempSync(join(tmpdir(), 'cds-bench-unifier-'));
  // As the service stores it: personal data sealed per subject, keys in a key file.
  const keyStore = await FileKeyStore.open({ directory: join(dir, 'keys') });
  const keys = new SubjectKeys(keyStore, masterKeys(generateMasterKey()));
  const store = new SealingEventStore(await FileEventStore.open({ directory: join(dir, 'log') }), keys, keyStore);
  try {
    const deps = dependencies(store, keys);
    await deps.schema.execute(ORG, { type: 'DefineAttributes', scope: 'traits', inputs: [{ attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }], attributeIds: ['visits'], at: new Date().toISOString() }, 'bench');
    const writes = parseAttributeWrites(await deps.schema.current(ORG), { traits: { visits: 1 } });
    await inParallel(64, users * 2, async (i) => {
      const created = await createProfile(deps.profiles, systemClock, { tenant: ORG, trackingConsent: true, writes, correlationId: `c${i}` });
      await stampUser(deps.profiles, systemClock, { tenant: ORG, userId: `u${Math.floor(i / 2)}`, anonymousProfileTracker: created.profile.state.profile.anonymous_profile_tracker, correlationId: `s${i}` });
    });
    const head = (await store.headPosition())!;
    const unifier = new Unifier(store, await FileCheckpoints.open(dir), dependencies(store, keys), { partition: WHOLE_LOG });
    const started = process.hrtime.bigint();
    await unifier.start();
    if (!(await unifier.waitFor(head, 300_000))) throw new Error('the unifier did not catch up');
    const seconds = elapsedMs(started) / 1000;
    await unifier.stop();
    return { users, events: head, merges: users, seconds: round(seconds, 3), merges_per_s: Math.round(users / seconds) };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Start-up of the unifier on a big log, with its checkpoint at the head (every start after the
 * first): the time from opening the log until the unifier is following it live.
 */
export async function measureUnifierStartup(logDirectory: string) {
  const checkpointsDir = mkdtempSync(join(tmpdir(), 'cds-bench-unifier-start-'));
  try {
    const first = await FileEventStore.open({ directory: logDirectory });
    const events = (await first.headPosition()) ?? 0;
    const warm = new Unifier(first, await FileCheckpoints.open(checkpointsDir), dependencies(first), { partition: WHOLE_LOG });
    await warm.start();
    await warm.waitFor(events, 600_000);
    await warm.stop();
    await first.close();

    const started = process.hrtime.bigint();
    const store = await FileEventStore.open({ directory: logDirectory });
    const opened = elapsedMs(started);
    const unifier = new Unifier(store, await FileCheckpoints.open(checkpointsDir), dependencies(store), { partition: WHOLE_LOG });
    await unifier.start();
    await unifier.waitFor(events, 60_000);
    const ready = elapsedMs(started);
    await unifier.stop();
    await store.close();
    return { events, log_open_ms: round(opened), unifier_ready_ms: round(ready - opened), total_ms: round(ready) };
  } finally {
    rmSync(checkpointsDir, { recursive: true, force: true });
  }
}

/** The unifier's collaborators on a log; `keys` seal nothing here (the log is opened as it is), they only erase. */
function dependencies(store: EventStore, keys = new SubjectKeys(new InMemoryKeyStore(), masterKeys(generateMasterKey()))) {
  const profiles = new ProfileStreams(store);
  const schema = new SchemaService(store);
  return { profiles, schema, rules: new RulesService(store, schema), claims: new UnificationClaims(store, keys, systemClock), keys, clock: systemClock };
}

async function inParallel<T>(concurrency: number, count: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}
