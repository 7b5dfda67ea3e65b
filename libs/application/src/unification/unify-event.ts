import {
  activeRulesByPriority,
  chooseSurvivor,
  decideProfile,
  findMatch,
  MergeBlockReason,
  ProfileEvent,
  ProfileState,
  ruleValue,
  UnificationRule,
  unifyByUser,
} from '@cds/domain';
import { EventStore, RecordedEvent } from '../ports/event-store.port';
import { FoldedProfile, ProfileStreams } from '../profiles/profile-streams';
import { ProfileHistories } from '../profiles/profile-histories';
import { SchemaService } from '../schema/schema-service';
import { followMergeChain } from '../profiles/follow-merge-chain';
import { RulesService } from '../rules/rules-service';
import { profileStream } from '../streams/stream-names';
import { UnificationClaims } from './claims';
import { KeyedLanes } from '../streams/keyed-lanes';
import { absorbClosed, carryOutMerge, MergeOrder, MergeWorkflowDeps } from './merge-workflow';
import { carryOutUnmerge, UnmergeOrder } from './unmerge-workflow';
import { handleStream } from '../streams/handle-stream';

export interface UnificationDeps extends MergeWorkflowDeps {
  rules: RulesService;
  claims: UnificationClaims;
}

/** What a unifier brings of its own: the subjects' keys (sealing, keyed names, erasure) and the clock. */
export type UnifierContext = Pick<UnificationDeps, 'keys' | 'clock'>;

/** Profiles a unifier keeps folded (its own cache, beside the request handlers'). */
const UNIFIER_PROFILES_KEPT = 2_000;
/** Events of survivors' whole histories a unifier keeps for unmerges (a few tens of MiB at most). */
const UNIFIER_HISTORY_EVENTS = 50_000;

/** The unifier's collaborators on `store`, with caches of their own. */
export function unificationDeps(store: EventStore, { keys, clock }: UnifierContext): UnificationDeps {
  const profiles = new ProfileStreams(store, UNIFIER_PROFILES_KEPT, new ProfileHistories({ maxEvents: UNIFIER_HISTORY_EVENTS }));
  const schema = new SchemaService(store);
  return { profiles, schema, rules: new RulesService(store, schema), claims: new UnificationClaims(store, keys, clock), keys, clock };
}

/** A chain of rule matches (A matches B, the result matches C…) is followed this far for one event. */
const MAX_RULE_ROUNDS = 16;

/**
 * What one event of the log calls for, decided on the current state of the log: claims of a
 * user_id or identity value, merges. Decisions are taken one event at a time, in log order; the
 * writes they lead to are scheduled on lanes keyed by stream, so a decision that reads a stream
 * waits for the writes already scheduled on it, and writes to disjoint streams overlap.
 */
export class EventUnification {
  constructor(
    private readonly deps: UnificationDeps,
    private readonly lanes: KeyedLanes,
  ) {}

  /**
   * Decides for one profile event. Resolves once the decisions are taken; `writes` settles once
   * the writes they lead to are done (wrapped: a promise resolving to a promise would wait for both).
   */
  async decide(tenant: string, profileId: string, event: ProfileEvent): Promise<{ writes: Promise<unknown> }> {
    const writes: Promise<unknown>[] = [];
    switch (event.type) {
      case 'UserStamped':
        await this.unifyByUser(tenant, profileId, event.data.user_id, writes);
        // Signing in is also a moment to look for the person's other profiles by rules.
        await this.unifyByRules(tenant, profileId, writes);
        break;
      case 'AttributePatched':
        if (await this.touchesRule(tenant, event)) await this.unifyByRules(tenant, profileId, writes);
        break;
      case 'MergeRequested':
        await this.mergeByHand(tenant, profileId, event.data.other_profile_id, writes);
        break;
      case 'UnmergeRequested':
        writes.push(this.unmerge({ tenant, survivorId: profileId, mergedId: event.data.merged_profile_id, requestId: event.data.request_id }));
        break;
      case 'ProfileMergedAway':
        // A close its survivor never took in (a crash between the steps, an older version) is completed when met.
        await this.resolveLive(tenant, profileId);
        break;
      case 'ProfileDeleted':
        // What the erased profiles held must not outlive their keys, not even in this cache.
        this.deps.profiles.forget(tenant, [profileId, ...(event.data.erased ?? [])]);
        break;
      case 'ProfileCreated':
      case 'ProfilesMerged':
      case 'ProfileUnmerged':
      case 'ProfileRestored':
      case 'MergeBlocked':
      case 'TrackerReleased':
        break;
      default: {
        const unhandled: never = event;
        throw new Error(`Unhandled profile event ${JSON.stringify(unhandled)}`);
      }
    }
    return { writes: Promise.all(writes) };
  }

  /**
   * Folds `recorded` into the unifier's copy of its profile when that copy is up to the event
   * before (so following the log costs no reads of the streams it already follows), then loads
   * what deciding `recorded` will read first (its profile; for a sign-in, the user's claim), while
   * earlier events are still being decided. Only a warm-up: a failure here is the decision's to meet.
   */
  prefetch(tenant: string, profileId: string, recorded: RecordedEvent): void {
    this.deps.profiles.followed(recorded);
    const ignore = () => undefined;
    void this.deps.profiles.load(tenant, profileId).catch(ignore);
    const userId = recorded.type === 'UserStamped' ? (recorded.data as { user_id?: unknown }).user_id : undefined;
    if (typeof userId === 'string') void this.deps.claims.owner(tenant, userId).catch(ignore);
  }

  private async unifyByUser(tenant: string, profileId: string, userId: string, writes: Promise<unknown>[]): Promise<void> {
    const live = await this.resolveLive(tenant, profileId);
    if (!live) return;
    const lane = await this.deps.claims.userStream(tenant, userId);
    // Claims decided before are known at once; their appends stay ordered on the claim's lane.
    const ownerId = await this.deps.claims.owner(tenant, userId);
    const owner = ownerId === null ? null : await this.resolveLive(tenant, ownerId);
    const verdict = unifyByUser(live.state.profile, userId, owner?.state.profile ?? null);
    switch (verdict.kind) {
      case 'claim':
        writes.push(this.lanes.schedule([lane], this.deps.claims.claimUser(tenant, lane, live.state.profileId)));
        return;
      case 'merge':
        writes.push(this.merge({ tenant, survivorId: verdict.survivor.profile_id, mergedId: verdict.merged.profile_id, reason: { kind: 'user_id' }, triggeredBy: 'merged' }));
        return;
      case 'nothing':
        return;
      default: {
        const unhandled: never = verdict;
        throw new Error(`Unhandled verdict ${JSON.stringify(unhandled)}`);
      }
    }
  }

  private async unifyByRules(tenant: string, profileId: string, writes: Promise<unknown>[]): Promise<void> {
    const rules = activeRulesByPriority(await this.deps.rules.current(tenant));
    if (rules.length === 0) return;
    let current = profileId;
    for (let round = 0; round < MAX_RULE_ROUNDS; round++) {
      const live = await this.resolveLive(tenant, current);
      if (!live) return;
      const candidates = new Map<string, ProfileState[]>();
      for (const rule of rules) {
        const value = ruleValue(live.state.profile, rule);
        if (value !== undefined) candidates.set(rule.rule_id, await this.claimValue(tenant, rule, value, live, writes));
      }
      const blocked: Array<{ rule: UnificationRule; candidate: ProfileState; reason: MergeBlockReason }> = [];
      const match = findMatch(live.state.profile, rules, (rule) => candidates.get(rule.rule_id) ?? [], (rule, candidate, verdict) => {
        if (verdict.safeguard) blocked.push({ rule, candidate, reason: verdict.safeguard });
      });
      // Recorded on both profiles, so each one's history shows what kept them apart.
      for (const block of blocked) {
        writes.push(this.recordBlock(tenant, live.streamId, block.candidate.profile_id, block));
        writes.push(this.recordBlock(tenant, profileStream(tenant, block.candidate.profile_id), live.state.profileId, block));
      }
      if (!match) return;
      const { survivor, merged } = chooseSurvivor(live.state.profile, match.candidate);
      const triggeredBy = survivor.profile_id === live.state.profileId ? 'survivor' : 'merged';
      const reason = { kind: 'rule' as const, rule_name: match.rule.rule_name, rule_id: match.rule.rule_id };
      writes.push(this.merge({ tenant, survivorId: survivor.profile_id, mergedId: merged.profile_id, reason, triggeredBy }));
      // The next round reads the survivor, so it waits for this merge on the survivor's lane.
      current = survivor.profile_id;
    }
  }

  /** By hand: the other profile's live end merges into this one's, which survives whatever the users say (the API checked them). */
  private async mergeByHand(tenant: string, profileId: string, otherId: string, writes: Promise<unknown>[]): Promise<void> {
    const [survivor, other] = [await this.resolveLive(tenant, profileId), await this.resolveLive(tenant, otherId)];
    if (!survivor || !other || survivor.state.profileId === other.state.profileId) return;
    const { user_id: mine } = survivor.state.profile;
    const { user_id: theirs } = other.state.profile;
    if (mine !== null && theirs !== null && mine !== theirs) return;
    writes.push(this.merge({ tenant, survivorId: survivor.state.profileId, mergedId: other.state.profileId, reason: { kind: 'manual' }, triggeredBy: 'survivor' }));
  }

  /** A safeguard kept a rule match from merging: recorded on a profile of the pair, once. */
  private recordBlock(tenant: string, streamId: string, otherId: string, block: { rule: UnificationRule; reason: MergeBlockReason }): Promise<unknown> {
    const command = { type: 'RecordBlockedMerge' as const, other_profile_id: otherId, rule_name: block.rule.rule_name, reason: block.reason, at: this.deps.clock.now().toISOString() };
    return this.lanes.schedule([streamId], () =>
      handleStream(this.deps.profiles.streams, streamId, (folded) => ({ events: folded.state.profile.status === 'active' ? decideProfile(command, folded.state.profile) : [] }), { metadata: { tenant } }),
    );
  }

  private unmerge(order: UnmergeOrder): Promise<unknown> {
    const lanes = [profileStream(order.tenant, order.mergedId), profileStream(order.tenant, order.survivorId)];
    return this.lanes.schedule(lanes, () => carryOutUnmerge(this.deps, order));
  }

  /** Records that the live profile carries the value (once); returns the other live profiles that carried it. */
  private async claimValue(tenant: string, rule: UnificationRule, value: string, live: FoldedProfile, writes: Promise<unknown>[]): Promise<ProfileState[]> {
    const lane = await this.deps.claims.identityStream(tenant, rule, value);
    const others: ProfileState[] = [];
    const seen = new Set<string>();
    let claimed = false;
    const claimants = await this.deps.claims.claimants(lane);
    for (const claimant of claimants) {
      const holder = await this.resolveLive(tenant, claimant);
      if (!holder) continue;
      if (holder.state.profileId === live.state.profileId) claimed = true;
      else if (!seen.has(holder.state.profileId)) {
        seen.add(holder.state.profileId);
        others.push(holder.state.profile);
      }
    }
    if (!claimed) writes.push(this.lanes.schedule([lane], this.deps.claims.claimIdentity(tenant, lane, live.state.profileId, claimants)));
    return others;
  }

  private async touchesRule(tenant: string, event: Extract<ProfileEvent, { type: 'AttributePatched' }>): Promise<boolean> {
    const properties = new Set(activeRulesByPriority(await this.deps.rules.current(tenant)).map((rule) => rule.property_name));
    return properties.size > 0 && event.data.writes.some((w) => w.scope !== 'application_data' && properties.has(`${w.scope}.${w.attribute}`));
  }

  private merge(order: MergeOrder): Promise<unknown> {
    const lanes = [profileStream(order.tenant, order.mergedId), profileStream(order.tenant, order.survivorId)];
    return this.lanes.schedule(lanes, () => carryOutMerge(this.deps, order));
  }

  /**
   * The live profile a profile leads to, each step read once the writes already scheduled on it
   * are done. A profile on the way that the live end never took in (a merge interrupted between
   * its two steps, by a crash or by an older version) is taken in now.
   */
  private async resolveLive(tenant: string, profileId: string): Promise<FoldedProfile | null> {
    const settled = (streamId: string) => this.lanes.idle([streamId]);
    for (let attempt = 0; attempt < MAX_RULE_ROUNDS; attempt++) {
      const chain = await followMergeChain(this.deps.profiles, tenant, profileId, settled);
      const live = chain.live;
      if (!live) return null;
      const missing = chain.members.find((member) => member !== live && !isMember(live.state.profile, member.state.profileId));
      if (!missing) return live;
      await this.lanes.schedule([missing.streamId, live.streamId], () => absorbClosed(this.deps, tenant, live.state.profileId, missing));
    }
    return null;
  }
}

function isMember(survivor: ProfileState, profileId: string): boolean {
  return survivor.merged_from.some((merged) => merged.profile_id === profileId);
}
