import { randomUUID } from 'node:crypto';
import { parseAttributeWrites } from '@cds/domain';
import { Clock, systemClock } from '../ports/clock.port';
import { createProfile } from '../profiles/create-profile';
import { patchProfile } from '../profiles/patch-profile';
import { ProfileStreams } from '../profiles/profile-streams';
import { RulesService } from '../rules/rules-service';
import { SchemaService } from '../schema/schema-service';
import { UnificationClaims } from '../unification/claims';
import { UnificationDeps } from '../unification/unify-event';
import { generateMasterKey, masterKeys } from '../personal-data/master-keys';
import { InMemoryKeyStore } from '../personal-data/in-memory-key-store';
import { SealingEventStore } from '../personal-data/sealing-event-store';
import { SubjectKeys } from '../personal-data/subject-keys';
import { InMemoryCheckpoints } from './in-memory-checkpoints';
import { InMemoryEventStore } from './in-memory-event-store';

/** The application layer on an in-memory log: what its specs write and read through. */
export function applicationFixture(clock: Clock = systemClock) {
  const log = new InMemoryEventStore();
  const keys = new SubjectKeys(new InMemoryKeyStore(), masterKeys(generateMasterKey()));
  // Personal data sealed per subject, as the service stores it.
  const store = new SealingEventStore(log, keys);
  const profiles = new ProfileStreams(store);
  const schema = new SchemaService(store);
  const rules = new RulesService(store, schema);
  const deps: UnificationDeps = { profiles, schema, rules, claims: new UnificationClaims(store, keys, clock), keys, clock };
  return {
    /** The log as stored (sealed). */
    log,
    keys,
    store,
    checkpoints: new InMemoryCheckpoints(),
    profiles,
    schema,
    rules,
    deps,
    clock,
    /** A second process on the same log: its own caches, nothing shared but the log. */
    otherProcess: () => {
      const otherProfiles = new ProfileStreams(store);
      const otherSchema = new SchemaService(store);
      const otherRules = new RulesService(store, otherSchema);
      return { profiles: otherProfiles, deps: { profiles: otherProfiles, schema: otherSchema, rules: otherRules, claims: new UnificationClaims(store, keys, clock), keys, clock } };
    },
    async define(tenant: string, scope: 'traits' | 'identity_attributes', inputs: Array<Record<string, unknown>>) {
      await schema.execute(tenant, { type: 'DefineAttributes', scope, inputs, attributeIds: inputs.map(() => randomUUID()), at: clock.now().toISOString() }, randomUUID());
    },
    async device(tenant: string, body: unknown = {}) {
      const writes = parseAttributeWrites(await schema.current(tenant), body);
      const created = await createProfile(profiles, clock, { tenant, trackingConsent: true, writes, correlationId: randomUUID() });
      return { id: created.profile.state.profileId, tracker: created.profile.state.profile.anonymous_profile_tracker, position: created.position };
    },
    async patch(tenant: string, profileId: string, body: unknown, options: { correlationId?: string } = {}) {
      const writes = parseAttributeWrites(await schema.current(tenant), body);
      return patchProfile(profiles, clock, { tenant, profileId, writes, source: 'http', correlationId: options.correlationId ?? randomUUID() });
    },
  };
}
