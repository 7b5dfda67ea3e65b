import { v5 as uuidv5 } from 'uuid';
import { mergeRulesFor, parseAttributeWrites, ProfileCommand, SchemaCommand, SchemaState, snapshotOf } from '@cds/domain';
import { EventStore, FoldedProfile, ProfileStreams, SchemaService, writeProfile } from '@cds/application';
import { between, pick, seededRandom } from './random';

export interface LogShape {
  tenants: number;
  /** People per tenant; each uses 1–3 devices (profiles), which merge at sign-in. */
  people: number;
  /** Activity writes per device. */
  writesPerDevice: number;
  /** Share of people who sign in (their devices merge). */
  signInShare: number;
  seed: number;
}

export interface GeneratedLog {
  events: number;
  profiles: number;
  /** Profiles still active at the end (the others merged away). */
  live_profiles: number;
  merges: number;
  tenants: string[];
}

const NAMESPACE = 'b7c1d2e3-f4a5-4b6c-8d7e-9f0a1b2c3d4e';
const PAGES = ['/', '/shoes', '/bags', '/hats', '/sale', '/checkout', '/account', '/blog'];
const TOPICS = ['running', 'cycling', 'hiking', 'yoga', 'tennis', 'golf', 'swimming', 'climbing', 'skiing'];
const PEOPLE_IN_FLIGHT = 32;

/**
 * Writes a realistic log through the application's own command path (SchemaService and
 * writeProfile: load, decide, append with the expected revision), so the events are whatever
 * the application writes today: tenants with a schema (combine, overwrite, sum), anonymous devices
 * with activity, sign-ins that stamp the user and merge a person's later devices into the first.
 * Times come from a fixed clock and ids from the seed, so the same flags write the same log.
 */
export async function generateLog(store: EventStore, shape: LogShape, onProgress?: (events: number) => void): Promise<GeneratedLog> {
  const random = seededRandom(shape.seed);
  // Events are counted as they are appended: log positions count bytes on EventStoreDB, not events.
  let appended = 0;
  const counted = countingAppends(store, (events) => (appended += events));
  const profiles = new ProfileStreams(counted);
  const schemas = new SchemaService(counted);
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const at = () => new Date((clock += 1000)).toISOString();
  const result: GeneratedLog = { events: 0, profiles: 0, live_profiles: 0, merges: 0, tenants: [] };

  const run = async (tenant: string, id: string, command: ProfileCommand, correlationId: string) =>
    (await writeProfile(profiles, { tenant, addressedId: id, command, correlationId })).profile;

  const person = async (tenant: string, schema: SchemaState, p: number, devices: number, signsIn: boolean, writes: unknown[][]) => {
    const userId = `user-${tenant}-${p}`;
    const devicesOf: FoldedProfile[] = [];
    for (let d = 0; d < devices; d++) {
      const id = uuidv5(`${tenant}/${p}/${d}`, NAMESPACE);
      const tag = `${tenant}/${p}/${d}`;
      let profile = await run(tenant, id, { type: 'CreateProfile', profile_id: id, anonymous_profile_tracker: uuidv5(`tracker/${id}`, NAMESPACE), tracking_consent: true, at: at() }, `${tag}/create`);
      for (const [w, body] of writes[d].entries()) {
        profile = await run(tenant, id, { type: 'PatchAttributes', writes: parseAttributeWrites(schema, body), source: w % 2 === 0 ? 'http' : 'kafka', addressed_id: id, at: at() }, `${tag}/write-${w}`);
      }
      if (signsIn) profile = await run(tenant, id, { type: 'StampUser', user_id: userId, at: at() }, `${tag}/stamp`);
      devicesOf.push(profile);
    }
    result.profiles += devices;
    if (!signsIn) {
      result.live_profiles += devices;
      return;
    }
    // Every later device merges into the first one, which carries the user_id.
    let survivor = devicesOf[0];
    result.live_profiles += 1;
    for (const merged of devicesOf.slice(1)) {
      const reason = { kind: 'user_id' } as const;
      const mergedState = merged.state.profile;
      await run(tenant, mergedState.profile_id, { type: 'MergeAway', survivor_id: survivor.state.profileId, reason, triggered_by: 'merged', at: at() }, `${merged.streamId}/merge-away`);
      survivor = await run(
        tenant,
        survivor.state.profileId,
        {
          type: 'AbsorbProfile',
          merged: snapshotOf(mergedState),
          merged_revision: merged.revision!,
          reason,
          triggered_by: 'merged',
          trigger_is_legitimate_interest: false,
          rules: mergeRulesFor(schema, survivor.state.profile, mergedState),
          at: at(),
        },
        `${merged.streamId}/absorb`,
      );
      result.merges++;
    }
  };

  const inFlight = new Set<Promise<void>>();
  let lastReport = 0;
  for (let t = 0; t < shape.tenants; t++) {
    const tenant = `bench-${t}`;
    result.tenants.push(tenant);
    const { state: schema } = await schemas.execute(tenant, defineSchema(t, at()), `bench-schema-${t}`);
    for (let p = 0; p < shape.people; p++) {
      // Drawn here, in order, so concurrency does not change what is written.
      const devices = between(random, 1, 3);
      const signsIn = random() < shape.signInShare;
      const writes = Array.from({ length: devices }, () =>
        Array.from({ length: shape.writesPerDevice }, () => ({ traits: { visits: 1, interests: [pick(random, TOPICS)], last_page: pick(random, PAGES) } })),
      );
      const done = person(tenant, schema, p, devices, signsIn, writes).finally(() => inFlight.delete(done));
      inFlight.add(done);
      if (inFlight.size >= PEOPLE_IN_FLIGHT) await Promise.race(inFlight);
      if (onProgress && appended - lastReport >= 100_000) onProgress((lastReport = appended));
    }
  }
  await Promise.all(inFlight);
  result.events = appended;
  return result;
}

function defineSchema(tenant: number, at: string): SchemaCommand {
  const inputs = [
    { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
    { attribute_name: 'interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine', max_values: 50 },
    { attribute_name: 'last_page', value_type: 'string', merge_strategy: 'overwrite' },
  ];
  return { type: 'DefineAttributes', scope: 'traits', inputs, attributeIds: inputs.map((_, i) => uuidv5(`attr-${tenant}-${i}`, NAMESPACE)), at };
}

/** The store, telling `count` how many events each append wrote (none for a retry found stored). */
function countingAppends(store: EventStore, count: (events: number) => void): EventStore {
  return new Proxy(store, {
    get(target, key) {
      if (key === 'append') {
        return async (...args: Parameters<EventStore['append']>) => {
          const result = await target.append(...args);
          if (result.written !== false) count(args[1].length);
          return result;
        };
      }
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
