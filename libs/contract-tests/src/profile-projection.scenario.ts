import { randomUUID } from 'node:crypto';
import {
  Clock,
  EventStore,
  ProfileCommands,
  ProfileMerger,
  ProfileRepository,
  ProfileResolver,
  SchemaService,
  SignIn,
  UserIdClaims,
} from '@cds/application';
import { parseAttributeWrites, profileIdForTracker } from '@cds/domain';

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
 * Writes a realistic log through the real command-side services: a schema, anonymous devices
 * with activity, sign-ins that merge devices of the same user, and an erased profile.
 */
export async function writeProfileScenario(store: EventStore, tenant: string, clock: Clock = steppingClock()): Promise<ScenarioResult> {
  const repository = new ProfileRepository(store);
  const commands = new ProfileCommands(repository);
  const resolver = new ProfileResolver(repository);
  const schema = new SchemaService(store);
  const merger = new ProfileMerger(store, repository, commands, resolver, schema, clock);
  const signIn = new SignIn(commands, resolver, merger, new UserIdClaims(store, clock), clock);
  const at = () => clock.now().toISOString();
  const correlationId = () => randomUUID();

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
    const tracker = randomUUID();
    const id = profileIdForTracker(tenant, tracker);
    await commands.execute(
      tenant,
      id,
      () => ({ type: 'CreateProfile', profile_id: id, anonymous_profile_tracker: tracker, tracking_consent: true, at: at() }),
      { correlationId: correlationId() },
    );
    for (let visit = 0; visit <= i; visit++) {
      const writes = parseAttributeWrites(current, {
        traits: { visits: 1, interests: [`topic-${i}`, `topic-${visit}`], last_page: `/page/${i}/${visit}` },
      });
      await commands.execute(tenant, id, () => ({ type: 'PatchAttributes', writes, source: 'http', at: at() }), {
        correlationId: correlationId(),
      });
    }
    devices.push({ tracker, id, user, visits: i + 1 });
  }
  const survivors: Record<string, string> = {};
  const visits: Record<string, number> = {};
  for (const device of devices) {
    if (!device.user) continue;
    const outcome = await signIn.execute({ tenant, userId: device.user, anonymousProfileTracker: device.tracker, correlationId: correlationId() });
    survivors[device.user] = outcome.profile.profileId;
    visits[device.user] = (visits[device.user] ?? 0) + device.visits;
  }
  // The last anonymous device is erased.
  const erased = devices[devices.length - 1];
  await commands.execute(tenant, erased.id, () => ({ type: 'DeleteProfile', at: at() }), { correlationId: correlationId() });
  return { tenant, profileIds: devices.map((d) => d.id), survivors, visits };
}
