import { v5 as uuidv5 } from 'uuid';
import {
  decideProfile,
  evolveProfile,
  initialProfileState,
  mergeRulesFor,
  parseAttributeInput,
  parseAttributeWrites,
  ProfileCommand,
  ProfileEvent,
  ProfileState,
  SchemaEvent,
  SchemaState,
  evolveSchema,
  emptySchema,
  snapshotOf,
} from '@cds/domain';
import { EventStore, NewEvent, profileStream, schemaStream, toNewEvent } from '@cds/application';
import { between, pick, seededRandom } from './random';

export interface LogShape {
  tenants: number;
  /** People per tenant; each uses 1–3 devices (profiles) that merge at sign-in. */
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
  merges: number;
  tenants: string[];
}

const NAMESPACE = 'b7c1d2e3-f4a5-4b6c-8d7e-9f0a1b2c3d4e';
const PAGES = ['/', '/shoes', '/bags', '/hats', '/sale', '/checkout', '/account', '/blog'];
const TOPICS = ['running', 'cycling', 'hiking', 'yoga', 'tennis', 'golf', 'swimming', 'climbing', 'skiing'];

/**
 * Writes a realistic log through the domain's own decide/evolve: tenants with a schema
 * (combine, overwrite, sum), anonymous devices with activity, sign-ins that merge a person's
 * devices into the first one. Appends per stream, a few in flight, for speed.
 */
export async function generateLog(store: EventStore, shape: LogShape, onProgress?: (events: number) => void): Promise<GeneratedLog> {
  const random = seededRandom(shape.seed);
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const at = () => new Date((clock += 1000)).toISOString();
  const result: GeneratedLog = { events: 0, profiles: 0, merges: 0, tenants: [] };
  const inFlight = new Set<Promise<void>>();
  const append = async (streamId: string, tenant: string, events: Array<ProfileEvent | SchemaEvent>) => {
    const newEvents: NewEvent[] = events.map((e, i) => toNewEvent(e, uuidv5(`${streamId}#${i}`, NAMESPACE), { tenant }));
    const write = store.append(streamId, newEvents, 'no_stream').then(() => undefined);
    inFlight.add(write);
    void write.finally(() => inFlight.delete(write));
    result.events += events.length;
    onProgress?.(result.events);
    if (inFlight.size >= 16) await Promise.race(inFlight);
  };

  for (let t = 0; t < shape.tenants; t++) {
    const tenant = `bench-${t}`;
    result.tenants.push(tenant);
    const schemaEvents = defineSchema(at);
    const schema = schemaEvents.reduce(evolveSchema, emptySchema);
    await append(schemaStream(tenant), tenant, schemaEvents);
    for (let p = 0; p < shape.people; p++) {
      const devices = between(random, 1, 3);
      const signsIn = random() < shape.signInShare;
      const userId = `user-${t}-${p}`;
      const states: ProfileState[] = [];
      const streams: ProfileEvent[][] = [];
      for (let d = 0; d < devices; d++) {
        const id = uuidv5(`${tenant}/${p}/${d}`, NAMESPACE);
        const run = new Run(id);
        run.do({ type: 'CreateProfile', profile_id: id, anonymous_profile_tracker: uuidv5(`tracker/${id}`, NAMESPACE), tracking_consent: true, at: at() });
        for (let w = 0; w < shape.writesPerDevice; w++) {
          const writes = parseAttributeWrites(schema, {
            traits: { visits: 1, interests: [pick(random, TOPICS)], last_page: pick(random, PAGES) },
          });
          run.do({ type: 'PatchAttributes', writes, source: random() < 0.5 ? 'http' : 'kafka', addressed_id: id, at: at() });
        }
        if (signsIn) run.do({ type: 'StampUser', user_id: userId, at: at() });
        states.push(run.state);
        streams.push(run.events);
        result.profiles++;
      }
      // Every later device merges into the first one to carry the user_id.
      if (signsIn) {
        const survivor = new Run(states[0].profile_id, states[0], streams[0]);
        for (let d = 1; d < devices; d++) {
          const merged = new Run(states[d].profile_id, states[d], streams[d]);
          const before = merged.state;
          const revision = merged.events.length - 1;
          merged.do({ type: 'MergeAway', survivor_id: survivor.state.profile_id, reason: { kind: 'user_id' }, triggered_by: 'merged', at: at() });
          survivor.do({
            type: 'AbsorbProfile',
            merged: snapshotOf(before),
            merged_revision: revision,
            reason: { kind: 'user_id' },
            triggered_by: 'merged',
            trigger_is_legitimate_interest: false,
            rules: mergeRulesFor(schema, survivor.state, before),
            at: at(),
          });
          result.merges++;
        }
      }
      // Merged devices first: a survivor's ProfilesMerged must follow the MergeAway it absorbs.
      for (let d = devices - 1; d >= 0; d--) await append(profileStream(tenant, states[d].profile_id), tenant, streams[d]);
    }
  }
  await Promise.all(inFlight);
  return result;
}

/** Decides and folds one profile's commands, keeping the events for its stream. */
class Run {
  constructor(
    id: string,
    public state: ProfileState = initialProfileState(id),
    readonly events: ProfileEvent[] = [],
  ) {}

  do(command: ProfileCommand): void {
    for (const event of decideProfile(command, this.state)) {
      this.events.push(event);
      this.state = evolveProfile(this.state, event);
    }
  }
}

function defineSchema(at: () => string): SchemaEvent[] {
  const inputs = [
    { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
    { attribute_name: 'interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine', max_values: 50 },
    { attribute_name: 'last_page', value_type: 'string', merge_strategy: 'overwrite' },
  ];
  return inputs.map((input, i) => ({
    type: 'AttributeDefined',
    data: { definition: parseAttributeInput('traits', input, uuidv5(`attr-${i}`, NAMESPACE)), at: at() },
  }));
}

export type { SchemaState };
