import { randomUUID } from 'node:crypto';
import { NewEvent } from '@cds/application';
import {
  Clock,
  createProfile,
  deleteProfile,
  EventStore,
  generateMasterKey,
  InMemoryKeyStore,
  masterKeys,
  patchProfile,
  ProfileStreams,
  RulesService,
  SchemaService,
  stampUser,
  SubjectKeys,
  UnificationClaims,
  unifyNow,
  unkeyedNames,
} from '@cds/application';
import { parseAttributeWrites } from '@cds/domain';

/** A clock that moves one second per reading, so every run of a scenario writes the same times. */
export function steppingClock(start = Date.parse('2026-01-01T00:00:00Z')): Clock {
  let t = start;
  return { now: () => new Date((t += 1000)) };
}

export interface ScenarioResult {
  tenant: string;
  /** Every profile id the scenario created, live or not. */
  profileIds: string[];
  /** Expected live survivors by user. */
  survivors: Record<string, string>;
  /** Total of the `visits` sum attribute over everything written, per survivor. */
  visits: Record<string, number>;
}

/**
 * Writes a realistic log through the real command-side use cases and the unifier: a schema,
 * anonymous devices with activity, sign-ins that merge devices of the same user, and an erased
 * profile.
 */
export async function writeProfileScenario(store: EventStore, tenant: string, clock: Clock = steppingClock()): Promise<ScenarioResult> {
  const profiles = new ProfileStreams(store);
  const schema = new SchemaService(store);
  const keys = new SubjectKeys(new InMemoryKeyStore(), masterKeys(generateMasterKey()));
  const unification = { profiles, schema, rules: new RulesService(store, schema), claims: new UnificationClaims(store, unkeyedNames, clock), keys, clock };
  const at = () => clock.now().toISOString();
  const correlationId = () => randomUUID();
  const start = await store.headPosition();

  await schema.execute(
    tenant,
    {
      type: 'DefineAttributes',
      scope: 'traits',
      inputs: [
        { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
        { attribute_name: 'interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
        { attribute_name: 'last_page', value_type: 'string', merge_strategy: 'overwrite' },
      ],
      attributeIds: [randomUUID(), randomUUID(), randomUUID()],
      at: at(),
    },
    correlationId(),
  );
  const current = await schema.current(tenant);
  const devices: Array<{ tracker: string; id: string; user: string | null; visits: number }> = [];
  const users = ['alice', 'alice', 'alice', 'bob', 'bob', null, null];
  for (const [i, user] of users.entries()) {
    const created = await createProfile(profiles, clock, { tenant, trackingConsent: true, writes: [], correlationId: correlationId() });
    const { profileId: id } = created.profile.state;
    const tracker = created.profile.state.profile.anonymous_profile_tracker;
    for (let visit = 0; visit <= i; visit++) {
      const writes = parseAttributeWrites(current, {
        traits: { visits: 1, interests: [`topic-${i}`, `topic-${visit}`], last_page: `/page/${i}/${visit}` },
      });
      await patchProfile(profiles, clock, { tenant, profileId: id, writes, source: 'http', correlationId: correlationId() });
    }
    devices.push({ tracker, id, user, visits: i + 1 });
  }
  const survivors: Record<string, string> = {};
  const visits: Record<string, number> = {};
  for (const device of devices) {
    if (!device.user) continue;
    await stampUser(profiles, clock, { tenant, userId: device.user, anonymousProfileTracker: device.tracker, correlationId: correlationId() });
    // The first device a user signs in on stays the permanent profile.
    survivors[device.user] ??= device.id;
    visits[device.user] = (visits[device.user] ?? 0) + device.visits;
  }
  await unifyNow(store, unification, { tenants: [tenant], after: start });
  // The last anonymous device is erased.
  const erased = devices[devices.length - 1];
  await deleteProfile(profiles, keys, clock, { tenant, profileId: erased.id, correlationId: correlationId() });
  return { tenant, profileIds: devices.map((d) => d.id), survivors, visits };
}

/** Appends events to a profile's stream as they are, without deciding: for tests that need a log a command would not write. */
export async function appendToProfile(store: EventStore, stream: string, events: Array<{ type: string; data: unknown }>, tenant: string): Promise<{ position: number }> {
  const recorded: NewEvent[] = events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { tenant, schema_version: 1 } }));
  const result = await store.append(stream, recorded, 'any');
  return { position: result.position };
}
