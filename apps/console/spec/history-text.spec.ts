import type { HistoryItem } from '@cds/contract';
import { eventLines, eventTitle } from '../src/lib/history-text';

const S = '0c2d9e91-0000-4000-8000-000000000000';
const B = 'cb2dad48-0000-4000-8000-000000000000';
const at = '2026-01-01T10:00:00.000Z';
const base = { version: 1 as const, position: 9, revision: 3, recorded_at: at, at };

describe('history items in words', () => {
  it('tells what an unmerge did on both sides', () => {
    const split: HistoryItem = { ...base, type: 'profile_split_off', profile_id: S, merged_profile_id: B, writes_returned: 2 };
    expect(eventTitle(split)).toBe('Profile split off');
    expect(eventLines(split)).toEqual([
      'cb2dad48 split off: this profile is recomputed as if it had never merged in',
      '2 writes made through its id or tracker while merged went back to it',
      'kept apart from it: no rule merges them again, only a merge by hand',
    ]);
    const restored: HistoryItem = { ...base, type: 'profile_restored', profile_id: B, survivor_id: S, writes_returned: 1, user_id_cancelled: true };
    expect(eventTitle(restored)).toBe('Restored as its own profile');
    expect(eventLines(restored)).toContain('1 write made through its id or tracker while merged came back to it');
    expect(eventLines(restored)).toContain('its user_id sign-in is cancelled: a later sign-in on this device stamps it again');
    expect(eventLines({ ...restored, user_id_cancelled: false }).join(' ')).not.toContain('cancelled');
  });

  it('names the rule and the safeguard of a blocked match', () => {
    const blocked: HistoryItem = { ...base, type: 'merge_blocked', profile_id: B, other_profile_id: S, rule_name: 'Email', reason: 'kept_apart' };
    expect(eventTitle(blocked)).toBe('Merge blocked');
    expect(eventLines(blocked)).toEqual(['rule “Email” matched 0c2d9e91', 'not merged: the two were split apart, only a merge by hand joins them']);
    expect(eventLines({ ...blocked, reason: 'max_profiles' })[1]).toBe('not merged: the rule has joined as many profiles as its max_profiles allows');
  });

  it('says a merge was made by hand, and what was asked for', () => {
    const manual: HistoryItem = { ...base, type: 'profile_merged_in', profile_id: S, merged_profile_id: B, reason: 'manual', triggered_by: 'survivor' };
    expect(eventLines(manual)[0]).toBe('cb2dad48 merged by hand');
    expect(eventLines({ ...manual, reason: 'user_id' })[0]).toBe('cb2dad48 because of the same user_id');
    expect(eventLines({ ...base, type: 'merge_requested', profile_id: S, other_profile_id: B })).toEqual(['asked to merge cb2dad48 in, by hand']);
    expect(eventLines({ ...base, type: 'unmerge_requested', profile_id: S, merged_profile_id: B })).toEqual(['asked to split cb2dad48 off']);
    expect(eventTitle({ ...base, type: 'tracker_released', profile_id: S })).toBe('Session ended');
  });

  it('shows an item type of a newer service by its name', () => {
    const newer = { ...base, type: 'profile_renamed', profile_id: S } as unknown as HistoryItem;
    expect(eventTitle(newer)).toBe('Profile renamed');
    expect(eventLines(newer)).toEqual([]);
  });
});
