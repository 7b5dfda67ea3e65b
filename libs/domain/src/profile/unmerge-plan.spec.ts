import { DeciderSpecification } from '../decider/decider-specification';
import { MergeRule } from '../merge/merge-strategy';
import { AttributeWrite } from '../schema/value-validation';
import { decideProfile, ProfileCommand, profileDecider, snapshotOf } from './decide-profile';
import { foldProfile } from './evolve-profile';
import { MergeReason, ProfileEvent } from './profile-events';
import { ProfileState } from './profile-state';
import { planRestore, planSplit, refold, StreamEvent } from './unmerge-plan';

const given = DeciderSpecification.for(profileDecider);
const T = (minute: number) => `2026-06-05T10:${String(minute).padStart(2, '0')}:00.000Z`;

const RULES: Record<string, MergeRule> = {
  'traits.visits': { merge_strategy: 'sum', value_type: 'integer' },
  'traits.pages': { merge_strategy: 'combine', max_values: 100 },
  'traits.last': { merge_strategy: 'overwrite' },
  'traits.first': { merge_strategy: 'oldest' },
};
const w = (attribute: string, value: AttributeWrite['value']): AttributeWrite => ({ scope: 'traits', attribute, value, ...RULES[`traits.${attribute}`] });
const activity = (visits: number, page: string): AttributeWrite[] => [w('visits', visits), w('pages', [page]), w('last', page), w('first', page)];

/** A profile stream built through the decider, as the service builds it. */
class Stream {
  readonly events: ProfileEvent[] = [];
  constructor(readonly id: string) {}
  get state(): ProfileState {
    return foldProfile(this.events);
  }
  do(command: ProfileCommand): this {
    this.events.push(...decideProfile(command, this.state));
    return this;
  }
  withRevisions(): StreamEvent[] {
    return this.events.map((event, revision) => ({ revision, event }));
  }
}

const device = (id: string, minute: number, writes: AttributeWrite[]) =>
  new Stream(id)
    .do({ type: 'CreateProfile', profile_id: id, anonymous_profile_tracker: `tracker-${id}`, tracking_consent: true, at: T(minute) })
    .do({ type: 'PatchAttributes', writes, source: 'http', addressed_id: id, at: T(minute) });

/** The merge saga as the unifier runs it: close the merged profile, the survivor absorbs it. */
function merge(survivor: Stream, merged: Stream, reason: MergeReason, minute: number): void {
  const before = merged.state;
  const revision = merged.events.length - 1;
  merged.do({ type: 'MergeAway', survivor_id: survivor.id, reason, triggered_by: 'merged', at: T(minute) });
  survivor.do({
    type: 'AbsorbProfile',
    merged: snapshotOf(before),
    merged_revision: revision,
    reason,
    triggered_by: 'merged',
    trigger_is_legitimate_interest: false,
    rules: RULES,
    at: T(minute),
  });
}

/** Both steps of an unmerge, as the unifier runs them. */
function unmerge(survivor: Stream, merged: Stream, minute: number): void {
  const restore = planRestore(survivor.withRevisions(), merged.withRevisions(), merged.id)!;
  merged.do({ type: 'Restore', survivor_id: survivor.id, request_id: 'req', ...restore, at: T(minute) });
  const split = planSplit(survivor.withRevisions(), merged.id, restore.transferred_revisions)!;
  survivor.do({ type: 'SplitOff', merged_profile_id: merged.id, request_id: 'req', ...split, at: T(minute) });
}

const write = (stream: Stream, addressed: string, writes: AttributeWrite[], minute: number) =>
  stream.do({ type: 'PatchAttributes', writes, source: 'http', addressed_id: addressed, at: T(minute) });

describe('unmerge (planRestore, planSplit)', () => {
  it('gives both sides exactly what they would hold had the merge never happened, under every strategy', () => {
    const phone = device('phone', 0, activity(1, '/phone'));
    const laptop = device('laptop', 1, activity(10, '/laptop'));
    stamp(phone, 'ann', 2);
    stamp(laptop, 'ann', 3);
    merge(phone, laptop, { kind: 'user_id' }, 4);
    write(phone, 'phone', activity(2, '/phone-later'), 5);
    write(phone, 'laptop', activity(20, '/laptop-later'), 6);
    expect(phone.state.attributes.traits).toEqual({ visits: 33, pages: ['/phone', '/laptop', '/phone-later', '/laptop-later'], last: '/laptop-later', first: '/phone' });

    unmerge(phone, laptop, 7);
    expect(phone.state.attributes.traits).toEqual({ visits: 3, pages: ['/phone', '/phone-later'], last: '/phone-later', first: '/phone' });
    expect(laptop.state.attributes.traits).toEqual({ visits: 30, pages: ['/laptop', '/laptop-later'], last: '/laptop-later', first: '/laptop' });
    expect(phone.state).toMatchObject({ status: 'active', merged_from: [], absorbed: [], kept_apart: ['laptop'], trackers: ['tracker-phone'] });
    expect(laptop.state).toMatchObject({ status: 'active', merged_into: null, kept_apart: ['phone'], trackers: ['tracker-laptop'] });
  });

  it('cancels the user stamp a user_id merge brought; a merge by rule or by hand keeps it', () => {
    const [a, b] = [device('a', 0, activity(1, '/a')), device('b', 1, activity(1, '/b'))];
    stamp(a, 'ann', 2);
    stamp(b, 'ann', 3);
    merge(a, b, { kind: 'user_id' }, 4);
    const restore = planRestore(a.withRevisions(), b.withRevisions(), 'b')!;
    expect(restore.user_stamp_cancelled).toBe(true);
    expect(restore.restored).toMatchObject({ user_id: null, verified: false });

    const [c, d] = [device('c', 0, activity(1, '/c')), device('d', 1, activity(1, '/d'))];
    stamp(d, 'dan', 2);
    merge(c, d, { kind: 'manual' }, 4);
    expect(planRestore(c.withRevisions(), d.withRevisions(), 'd')).toMatchObject({ user_stamp_cancelled: false, restored: { user_id: 'dan', verified: true } });
  });

  it('takes the split-off profile\'s sub-tree along, writes addressed to it included', () => {
    const [root, mid, leaf] = [device('root', 0, activity(1, '/root')), device('mid', 1, activity(10, '/mid')), device('leaf', 2, activity(100, '/leaf'))];
    merge(mid, leaf, { kind: 'rule', rule_name: 'Email' }, 3);
    merge(root, mid, { kind: 'manual' }, 4);
    write(root, 'leaf', [w('visits', 1000)], 5);
    unmerge(root, mid, 6);
    expect(root.state.attributes.traits.visits).toBe(1);
    expect(mid.state.attributes.traits.visits).toBe(1110);
    expect(mid.state.merged_from.map((m) => m.profile_id)).toEqual(['leaf']);
    expect(mid.state.absorbed).toEqual(['leaf']);
  });

  it('keeps every other merge of the survivor, folded as if the split-off one had never come', () => {
    const [s, m, n] = [device('s', 0, activity(1, '/s')), device('m', 1, activity(10, '/m')), device('n', 2, activity(100, '/n'))];
    merge(s, m, { kind: 'manual' }, 3);
    merge(s, n, { kind: 'manual' }, 4);
    unmerge(s, m, 5);
    expect(s.state.attributes.traits).toEqual({ visits: 101, pages: ['/s', '/n'], last: '/n', first: '/s' });
    expect(s.state.merged_from.map((x) => x.profile_id)).toEqual(['n']);
    // A second split refolds with both exclusions, whatever order they were made in.
    unmerge(s, n, 6);
    expect(s.state.attributes.traits).toEqual(activityTraits(1, '/s'));
    expect(s.state.kept_apart).toEqual(['m', 'n']);
  });

  it('folds the same with or without the recorded result: a ProfileUnmerged equals refolding its exclusions', () => {
    const [s, m] = [device('s', 0, activity(1, '/s')), device('m', 1, activity(10, '/m'))];
    merge(s, m, { kind: 'manual' }, 2);
    write(s, 's', activity(2, '/s2'), 3);
    unmerge(s, m, 4);
    write(s, 's', activity(3, '/s3'), 5);
    const withRevisions = s.withRevisions();
    const unmerged = s.events.find((e) => e.type === 'ProfileUnmerged');
    const excluded = new Set(unmerged?.type === 'ProfileUnmerged' ? unmerged.data.excluded_revisions : []);
    const { updated_at: _a, ...folded } = s.state;
    const { updated_at: _b, kept_apart: _k, ...refolded } = refold(withRevisions, excluded);
    expect(folded).toMatchObject(refolded);
  });

  it('is null for a profile that is not merged into the survivor directly', () => {
    const [s, m] = [device('s', 0, activity(1, '/s')), device('m', 1, activity(1, '/m'))];
    expect(planRestore(s.withRevisions(), m.withRevisions(), 'm')).toBeNull();
    expect(planSplit(s.withRevisions(), 'm', [])).toBeNull();
  });
});

describe('decideProfile: merge and unmerge requests (given / when / then)', () => {
  const live = (id: string, user: string | null = null): ProfileEvent[] => {
    const s = device(id, 0, activity(1, `/${id}`));
    if (user) stamp(s, user, 1);
    return s.events;
  };
  const other = (id: string, user: string | null = null) => foldProfile(live(id, user));

  it('records a request to merge another profile in by hand', () => {
    given(live('a'))
      .when({ type: 'RequestMerge', other: other('b'), request_id: 'r1', at: T(5) })
      .then([{ type: 'MergeRequested', data: { profile_id: 'a', other_profile_id: 'b', request_id: 'r1', at: T(5) } }]);
  });

  it('refuses a manual merge of different users (409), and of a profile with itself', () => {
    given(live('a', 'ann')).when({ type: 'RequestMerge', other: other('b', 'bob'), request_id: 'r', at: T(5) }).thenThrows('different_users');
    given(live('a')).when({ type: 'RequestMerge', other: other('a'), request_id: 'r', at: T(5) }).thenThrows('merge_into_self');
  });

  it('records a request to split off a profile merged in directly, and refuses any other (409)', () => {
    const [s, m] = [device('s', 0, activity(1, '/s')), device('m', 1, activity(1, '/m'))];
    merge(s, m, { kind: 'manual' }, 2);
    given(s.events)
      .when({ type: 'RequestUnmerge', merged_profile_id: 'm', request_id: 'r', at: T(5) })
      .then([{ type: 'UnmergeRequested', data: { profile_id: 's', merged_profile_id: 'm', request_id: 'r', at: T(5) } }]);
    expect(given(s.events).when({ type: 'RequestUnmerge', merged_profile_id: 'x', request_id: 'r', at: T(5) }).thenThrows('not_merged_here').kind).toBe('conflict');
  });

  it('carries out each step of an unmerge once', () => {
    const [s, m] = [device('s', 0, activity(1, '/s')), device('m', 1, activity(1, '/m'))];
    merge(s, m, { kind: 'manual' }, 2);
    const restore = planRestore(s.withRevisions(), m.withRevisions(), 'm')!;
    const split = planSplit(s.withRevisions(), 'm', restore.transferred_revisions)!;
    unmerge(s, m, 3);
    given(m.events).when({ type: 'Restore', survivor_id: 's', request_id: 'req', ...restore, at: T(4) }).thenNothingHappened();
    given(s.events).when({ type: 'SplitOff', merged_profile_id: 'm', request_id: 'req', ...split, at: T(4) }).thenNothingHappened();
  });

  it('records a blocked match once per profile and reason', () => {
    const block: ProfileCommand = { type: 'RecordBlockedMerge', other_profile_id: 'b', rule_name: 'Email', reason: 'kept_apart', at: T(5) };
    const recorded = given(live('a')).when(block).then([
      { type: 'MergeBlocked', data: { profile_id: 'a', other_profile_id: 'b', rule_name: 'Email', reason: 'kept_apart', at: T(5) } },
    ]);
    given([...live('a'), ...recorded]).when(block).thenNothingHappened();
    given([...live('a'), ...recorded])
      .when({ type: 'RecordBlockedMerge', other_profile_id: 'b', rule_name: 'Email', reason: 'max_profiles', at: T(5) })
      .then([{ type: 'MergeBlocked', data: { profile_id: 'a', other_profile_id: 'b', rule_name: 'Email', reason: 'max_profiles', at: T(5) } }]);
  });

  it.each<MergeReason>([{ kind: 'manual' }, { kind: 'user_id' }])('no longer keeps apart a pair that merged again (%j)', (reason) => {
    const [s, m, x] = [device('s', 0, activity(1, '/s')), device('m', 1, activity(1, '/m')), device('x', 2, activity(1, '/x'))];
    merge(s, m, { kind: 'manual' }, 3);
    merge(s, x, { kind: 'manual' }, 3);
    unmerge(s, m, 4);
    unmerge(s, x, 4);
    merge(s, m, reason, 5);
    expect(s.state.kept_apart).toEqual(['x']);
  });
});

function stamp(stream: Stream, user: string, minute: number): void {
  stream.do({ type: 'StampUser', user_id: user, at: T(minute) });
}

function activityTraits(visits: number, page: string) {
  return { visits, pages: [page], last: page, first: page };
}
