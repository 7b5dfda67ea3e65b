import type { HistoryItem, Profile } from '@cds/contract';
import { carriedBy, keptApartFrom, lineageTree, Merge } from '../src/lib/merge-lineage';

const S = '00000000-0000-4000-8000-000000000000';
const A = 'aaaaaaaa-0000-4000-8000-000000000000';
const A1 = 'aaaaaaaa-1111-4000-8000-000000000000';
const B = 'bbbbbbbb-0000-4000-8000-000000000000';
const C = 'cccccccc-0000-4000-8000-000000000000';

const merge = (profile_id: string, minute: number, reason: Merge['reason'] = 'user_id'): Merge => ({
  profile_id,
  reason,
  triggered_by: 'merged',
  merged_at: `2026-01-01T10:${String(minute).padStart(2, '0')}:00.000Z`,
});

function profileWith(merged_from: Merge[]): Profile {
  return {
    profile_id: S,
    user_id: 'user-42',
    anonymous_profile_tracker: 't',
    verified: true,
    meta: { created_at: '2026-01-01T09:00:00.000Z', updated_at: '2026-01-01T11:00:00.000Z', location: `acme/cds/api/v1/profiles/${S}` },
    identity_attributes: {},
    traits: {},
    application_data: {},
    merged_from,
  };
}

let position = 0;
function item<T extends HistoryItem['type']>(type: T, profile_id: string, fields: Omit<Extract<HistoryItem, { type: T }>, 'type' | 'profile_id' | 'version' | 'position' | 'revision' | 'recorded_at' | 'at'>): HistoryItem {
  position += 1;
  const at = '2026-01-01T10:00:00.000Z';
  return { version: 1, type, profile_id, position, revision: position, recorded_at: at, at, ...fields } as HistoryItem;
}
const mergedIn = (into: string, merged: string) => item('profile_merged_in', into, { merged_profile_id: merged, reason: 'user_id', triggered_by: 'merged' });

const shape = (profile: Profile, history: HistoryItem[] = []) => lineageTree(profile, history).map((n) => [n.merge.profile_id, n.parentId, n.depth, n.direct]);

describe('the merge lineage of a profile', () => {
  // S absorbed A (which had absorbed A1 before), then B.
  const profile = profileWith([merge(A, 20), merge(A1, 10), merge(B, 30)]);

  it('puts a profile merged into another below it, and only direct merges can be undone', () => {
    expect(shape(profile)).toEqual([
      [A, S, 1, true],
      [A1, A, 2, false],
      [B, S, 1, true],
    ]);
  });

  it('knows what an unmerge takes along: what had merged into the profile split off', () => {
    const [a, a1, b] = lineageTree(profile);
    expect(carriedBy([a, a1, b], a)).toEqual([a1]);
    expect(carriedBy([a, a1, b], b)).toEqual([]);
  });

  it('takes which profile each merged into from the history when it is loaded', () => {
    // Both merges happened in the same millisecond: the times cannot tell, the history can.
    const sameTime = profileWith([merge(A, 20), merge(B, 20)]);
    expect(shape(sameTime)).toEqual([
      [A, S, 1, true],
      [B, A, 2, false],
    ]);
    expect(shape(sameTime, [mergedIn(S, A), mergedIn(S, B)])).toEqual([
      [A, S, 1, true],
      [B, S, 1, true],
    ]);
  });

  it('follows the latest merge of a profile that merged more than once', () => {
    // A1 merged into A, was split off it, and was merged into S by hand in the same millisecond as A.
    const history = [mergedIn(A, A1), mergedIn(S, A), mergedIn(S, A1)];
    expect(shape(profileWith([merge(A, 20), merge(A1, 20, 'manual')]), history)).toEqual([
      [A, S, 1, true],
      [A1, S, 1, true],
    ]);
  });
});

describe('the profiles a profile is kept apart from', () => {
  it('are those split off it, and those it was split off, until they are one again', () => {
    const history = [
      mergedIn(S, A),
      item('unmerge_requested', S, { merged_profile_id: A }),
      item('profile_split_off', S, { merged_profile_id: A, writes_returned: 2 }),
      // B was split off C before it merged into S: S holds B's history now.
      item('profile_restored', B, { survivor_id: C, writes_returned: 0, user_id_cancelled: false }),
    ];
    expect(keptApartFrom(profileWith([merge(B, 30)]), history)).toEqual([A, C]);
    // A merge by hand joins A again: it is part of the profile, not kept apart from it.
    expect(keptApartFrom(profileWith([merge(B, 30), merge(A, 50, 'manual')]), history)).toEqual([C]);
  });

  it('is nobody for a profile that was never split', () => {
    expect(keptApartFrom(profileWith([merge(A, 20)]), [mergedIn(S, A)])).toEqual([]);
  });
});
