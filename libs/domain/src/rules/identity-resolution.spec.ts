import { JsonValue } from '../shared/json';
import { initialProfileState, ProfileState, ProfileStatus } from '../profile/profile-state';
import { checkMergeAllowed, findMatch, keptApart, ruleValue } from './identity-resolution';
import { UnificationRule } from './unification-rule';

/** Seed 002 "How profile merging works": every example of the seed, by name. */

const rule = (rule_name: string, property_name: string, priority: number, immutable: boolean, is_active = true): UnificationRule => ({
  rule_id: `rule-${rule_name}`,
  rule_name,
  property_name,
  priority,
  immutable,
  is_active,
});

interface ProfileFields {
  identity_attributes?: Record<string, JsonValue>;
  traits?: Record<string, JsonValue>;
  user_id?: string | null;
  status?: ProfileStatus;
}
const profile = (profileId: string, fields: ProfileFields = {}): ProfileState => ({
  ...initialProfileState(profileId),
  status: fields.status ?? 'active',
  anonymous_profile_tracker: `tracker-${profileId}`,
  trackers: [`tracker-${profileId}`],
  user_id: fields.user_id ?? null,
  created_at: '2026-06-05T10:00:00.000Z',
  updated_at: '2026-06-05T10:00:00.000Z',
  attributes: { identity_attributes: fields.identity_attributes ?? {}, traits: fields.traits ?? {}, application_data: {} },
});

/** Candidates the way an index would find them: every profile holding the value, nothing filtered. */
const indexOf = (profiles: ProfileState[]) => (r: UnificationRule, value: string) => profiles.filter((p) => ruleValue(p, r) === value);
const match = (trigger: ProfileState, rules: UnificationRule[], others: ProfileState[]) => {
  const found = findMatch(trigger, rules, indexOf([trigger, ...others]));
  return found && { rule: found.rule.rule_name, candidate: found.candidate.profile_id };
};

// Seed 002: MemberEmail (priority 1, mutable) and ContactEmail (priority 2, immutable or mutable).
const memberEmail = rule('MemberEmail', 'identity_attributes.member_email', 1, false);
const contactEmail = (immutable: boolean) => rule('ContactEmail', 'traits.contact_email', 2, immutable);
const seedProfile = (id: string, contact: string | null) =>
  profile(id, { identity_attributes: { member_email: 'shared@example.com' }, traits: contact === null ? {} : { contact_email: contact } });

describe('identity resolution (seed 002)', () => {
  describe('ruleValue', () => {
    const email = rule('Email', 'identity_attributes.email', 1, false);
    const phone = rule('Phone', 'traits.phone', 2, false);

    it('reads the value of an identity attribute or a trait', () => {
      const p = profile('a', { identity_attributes: { email: 'ada@example.com' }, traits: { phone: '+47 1234' } });
      expect(ruleValue(p, email)).toBe('ada@example.com');
      expect(ruleValue(p, phone)).toBe('+47 1234');
    });

    it.each<[string, JsonValue | undefined]>([
      ['absent', undefined],
      ['null', null],
      ['the empty string', ''],
      ['an empty list', []],
      ['not text', 42],
    ])('is undefined when the value is %s', (_label, value) => {
      const p = profile('a', { identity_attributes: value === undefined ? {} : { email: value } });
      expect(ruleValue(p, email)).toBeUndefined();
    });

    it('is undefined for a property that is not a profile-wide attribute', () => {
      const p = profile('a', { identity_attributes: { email: 'x' } });
      expect(ruleValue(p, { property_name: 'application_data.email' })).toBeUndefined();
      expect(ruleValue(p, { property_name: 'email' })).toBeUndefined();
      expect(ruleValue(p, { property_name: 'identity_attributes.toString' })).toBeUndefined();
    });
  });

  describe('the examples of the seed', () => {
    it('immutable identity with conflicting values blocks the merge', () => {
      const rules = [memberEmail, contactEmail(true)];
      const a = seedProfile('A', 'alice@example.com');
      const b = seedProfile('B', 'bob@example.com');
      expect(checkMergeAllowed(a, b, memberEmail, rules)).toEqual({
        allowed: false,
        reason: expect.stringContaining('immutable identity "ContactEmail"'),
      });
      expect(match(a, rules, [b])).toBeNull();
    });

    it('mutable identity with conflicting values merges', () => {
      const rules = [memberEmail, contactEmail(false)];
      const a = seedProfile('A', 'alice@example.com');
      const b = seedProfile('B', 'bob@example.com');
      expect(checkMergeAllowed(a, b, memberEmail, rules)).toEqual({ allowed: true });
      expect(match(a, rules, [b])).toEqual({ rule: 'MemberEmail', candidate: 'B' });
    });

    it('immutable identity with one empty value merges', () => {
      const rules = [memberEmail, contactEmail(true)];
      const a = seedProfile('A', 'alice@example.com');
      const b = seedProfile('B', null);
      expect(checkMergeAllowed(a, b, memberEmail, rules)).toEqual({ allowed: true });
      expect(match(a, rules, [b])).toEqual({ rule: 'MemberEmail', candidate: 'B' });
      // Either side may be the empty one, and "" is as empty as null.
      expect(match(b, rules, [a])).toEqual({ rule: 'MemberEmail', candidate: 'A' });
      expect(match(seedProfile('C', ''), rules, [a])).toEqual({ rule: 'MemberEmail', candidate: 'A' });
    });

    describe('role of identity priority (both identities mutable)', () => {
      const trigger = profile('T', { traits: { contact_email: 'ada@example.com', external_id: 'EXT-1' } });
      const other = profile('O', { traits: { contact_email: 'ada@example.com', external_id: 'EXT-2' } });

      it('priority case 1: matching identity outranks the conflicting mutable one — merge', () => {
        const email = rule('ContactEmail', 'traits.contact_email', 1, false);
        const external = rule('ContactCustomExternalIdentifier', 'traits.external_id', 2, false);
        expect(checkMergeAllowed(trigger, other, email, [email, external])).toEqual({ allowed: true });
        expect(match(trigger, [email, external], [other])).toEqual({ rule: 'ContactEmail', candidate: 'O' });
      });

      it('priority case 2: conflicting mutable identity outranks the matching one — blocked', () => {
        const external = rule('ContactCustomExternalIdentifier', 'traits.external_id', 1, false);
        const email = rule('ContactEmail', 'traits.contact_email', 2, false);
        expect(checkMergeAllowed(trigger, other, email, [external, email])).toEqual({
          allowed: false,
          reason: expect.stringContaining('outranks the matching identity "ContactEmail"'),
        });
        expect(match(trigger, [external, email], [other])).toBeNull();
      });
    });

    it('profiles linked to different members (user_ids) never merge', () => {
      const rules = [memberEmail, contactEmail(false)];
      const a = profile('A', { identity_attributes: { member_email: 'shared@example.com' }, user_id: 'member-1' });
      const b = profile('B', { identity_attributes: { member_email: 'shared@example.com' }, user_id: 'member-2' });
      expect(checkMergeAllowed(a, b, memberEmail, rules)).toEqual({ allowed: false, reason: expect.stringContaining('user_id') });
      expect(match(a, rules, [b])).toBeNull();
      // One member and one anonymous profile, or the same member twice, may merge.
      const anonymous = profile('C', { identity_attributes: { member_email: 'shared@example.com' } });
      const sameMember = profile('D', { identity_attributes: { member_email: 'shared@example.com' }, user_id: 'member-1' });
      expect(match(a, rules, [anonymous])).toEqual({ rule: 'MemberEmail', candidate: 'C' });
      expect(match(a, rules, [sameMember])).toEqual({ rule: 'MemberEmail', candidate: 'D' });
    });

    it('identity matching is case-sensitive', () => {
      const email = rule('Email', 'identity_attributes.email', 1, false);
      const lower = profile('A', { identity_attributes: { email: 'user@example.com' } });
      const upper = profile('B', { identity_attributes: { email: 'USER@example.com' } });
      // Even a candidate lookup that ignores case does not make them one person.
      const caseBlind = (r: UnificationRule, value: string) =>
        [lower, upper].filter((p) => ruleValue(p, r)?.toLowerCase() === value.toLowerCase());
      expect(findMatch(lower, [email], caseBlind)).toBeNull();
      // And values that differ only in case are a conflict for an immutable identity.
      const contact = rule('ContactEmail', 'traits.contact_email', 2, true);
      const a = profile('A', { identity_attributes: { email: 'x@example.com' }, traits: { contact_email: 'Ada@example.com' } });
      const b = profile('B', { identity_attributes: { email: 'x@example.com' }, traits: { contact_email: 'ada@example.com' } });
      expect(checkMergeAllowed(a, b, email, [email, contact]).allowed).toBe(false);
    });

    it('a blocked match moves on to the next identity', () => {
      const email = rule('Email', 'identity_attributes.email', 1, false);
      const phone = rule('Phone', 'traits.phone', 2, false);
      const member = rule('MemberNumber', 'identity_attributes.member_number', 3, true);
      const trigger = profile('T', {
        identity_attributes: { email: 'ada@example.com', member_number: 'M-1' },
        traits: { phone: '555-0100' },
      });
      // Same email, but another member number: the immutable identity blocks this one.
      const sameEmail = profile('E', { identity_attributes: { email: 'ada@example.com', member_number: 'M-2' } });
      // Same phone, no member number: merges on the next identity.
      const samePhone = profile('P', { traits: { phone: '555-0100' } });
      const blocked: string[] = [];
      const found = findMatch(trigger, [email, phone, member], indexOf([trigger, sameEmail, samePhone]), (r, candidate, verdict) =>
        blocked.push(`${r.rule_name}:${candidate.profile_id}:${verdict.reason}`),
      );
      expect(found && [found.rule.rule_name, found.candidate.profile_id]).toEqual(['Phone', 'P']);
      expect(blocked).toEqual([expect.stringMatching(/^Email:E:immutable identity "MemberNumber"/)]);
    });
  });

  describe('findMatch', () => {
    const email = rule('Email', 'identity_attributes.email', 1, false);
    const member = rule('MemberNumber', 'identity_attributes.member_number', 2, true);

    it('moves on to the next candidate of the same identity when one is blocked, in the order given', () => {
      const trigger = profile('T', { identity_attributes: { email: 'ada@example.com', member_number: 'M-1' } });
      const conflicting = profile('C1', { identity_attributes: { email: 'ada@example.com', member_number: 'M-9' } });
      const fine1 = profile('C2', { identity_attributes: { email: 'ada@example.com' } });
      const fine2 = profile('C3', { identity_attributes: { email: 'ada@example.com', member_number: 'M-1' } });
      expect(match(trigger, [email, member], [conflicting, fine1, fine2])).toEqual({ rule: 'Email', candidate: 'C2' });
      expect(match(trigger, [email, member], [conflicting, fine2, fine1])).toEqual({ rule: 'Email', candidate: 'C3' });
    });

    it('evaluates rules by priority whatever order they are passed in', () => {
      const phone = rule('Phone', 'traits.phone', 2, false);
      const trigger = profile('T', { identity_attributes: { email: 'a@x' }, traits: { phone: '1' } });
      const byPhone = profile('P', { traits: { phone: '1' } });
      const byEmail = profile('E', { identity_attributes: { email: 'a@x' } });
      expect(match(trigger, [phone, email], [byPhone, byEmail])).toEqual({ rule: 'Email', candidate: 'E' });
    });

    it('skips an identity the triggering profile has no value for', () => {
      const phone = rule('Phone', 'traits.phone', 2, false);
      const trigger = profile('T', { identity_attributes: { email: '' }, traits: { phone: '1' } });
      const noEmail = profile('N', { identity_attributes: { email: '' } });
      const byPhone = profile('P', { traits: { phone: '1' } });
      const asked: string[] = [];
      const found = findMatch(trigger, [email, phone], (r, value) => {
        asked.push(`${r.rule_name}=${value}`);
        return indexOf([trigger, noEmail, byPhone])(r, value);
      });
      expect(asked).toEqual(['Phone=1']);
      expect(found?.candidate.profile_id).toBe('P');
    });

    it('ignores the trigger itself, profiles that are not live, and values that are not equal, whatever the lookup returns', () => {
      const trigger = profile('T', { identity_attributes: { email: 'ada@example.com' } });
      const merged = profile('M', { identity_attributes: { email: 'ada@example.com' }, status: 'merged' });
      const deleted = profile('D', { identity_attributes: { email: 'ada@example.com' }, status: 'deleted' });
      const absent = profile('X', { identity_attributes: { email: 'ada@example.com' }, status: 'absent' });
      const other = profile('O', { identity_attributes: { email: 'bob@example.com' } });
      const sloppy = () => [trigger, merged, deleted, absent, other];
      expect(findMatch(trigger, [email], sloppy)).toBeNull();
      const live = profile('L', { identity_attributes: { email: 'ada@example.com' } });
      expect(findMatch(trigger, [email], () => [...sloppy(), live])?.candidate.profile_id).toBe('L');
    });

    it('finds nothing for a trigger that is not live', () => {
      const trigger = profile('T', { identity_attributes: { email: 'ada@example.com' }, status: 'merged' });
      expect(match(trigger, [email], [profile('O', { identity_attributes: { email: 'ada@example.com' } })])).toBeNull();
    });

    it('finds nothing without rules', () => {
      const trigger = profile('T', { identity_attributes: { email: 'a@x' } });
      expect(match(trigger, [], [profile('O', { identity_attributes: { email: 'a@x' } })])).toBeNull();
    });
  });

  describe('inactive rules are ignored', () => {
    it('an inactive rule never matches', () => {
      const email = rule('Email', 'identity_attributes.email', 1, false, false);
      const trigger = profile('T', { identity_attributes: { email: 'a@x' } });
      expect(match(trigger, [email], [profile('O', { identity_attributes: { email: 'a@x' } })])).toBeNull();
    });

    it('an inactive immutable rule never blocks', () => {
      const email = rule('Email', 'identity_attributes.email', 2, false);
      const member = rule('MemberNumber', 'identity_attributes.member_number', 1, true, false);
      const trigger = profile('T', { identity_attributes: { email: 'a@x', member_number: 'M-1' } });
      const other = profile('O', { identity_attributes: { email: 'a@x', member_number: 'M-2' } });
      expect(checkMergeAllowed(trigger, other, email, [member, email])).toEqual({ allowed: true });
      expect(match(trigger, [member, email], [other])).toEqual({ rule: 'Email', candidate: 'O' });
    });
  });

  describe('checkMergeAllowed', () => {
    const email = rule('Email', 'identity_attributes.email', 2, false);

    it('checks immutable identities regardless of priority, lower ones too', () => {
      const low = rule('Passport', 'traits.passport', 9, true);
      const a = profile('A', { identity_attributes: { email: 'a@x' }, traits: { passport: 'P1' } });
      const b = profile('B', { identity_attributes: { email: 'a@x' }, traits: { passport: 'P2' } });
      expect(checkMergeAllowed(a, b, email, [email, low]).allowed).toBe(false);
    });

    it('lets a lower-priority mutable identity conflict', () => {
      const low = rule('Nickname', 'traits.nickname', 3, false);
      const a = profile('A', { identity_attributes: { email: 'a@x' }, traits: { nickname: 'ada' } });
      const b = profile('B', { identity_attributes: { email: 'a@x' }, traits: { nickname: 'lovelace' } });
      expect(checkMergeAllowed(a, b, email, [email, low])).toEqual({ allowed: true });
    });

    it('never counts an empty value as a conflict, even for a higher-priority identity', () => {
      const high = rule('Member', 'identity_attributes.member', 1, false);
      const a = profile('A', { identity_attributes: { email: 'a@x', member: 'M-1' } });
      const b = profile('B', { identity_attributes: { email: 'a@x', member: '' } });
      expect(checkMergeAllowed(a, b, email, [high, email])).toEqual({ allowed: true });
    });
  });

  describe('safeguards', () => {
    const email = { ...rule('Email', 'identity_attributes.email', 1, false), blocked_values: ['', 'null', 'unknown@example.com'] };
    const withEmail = (id: string, value: string) => profile(id, { identity_attributes: { email: value } });

    it.each(['null', 'unknown@example.com'])('never matches through a blocked value (%s), case-sensitively', (value) => {
      expect(match(withEmail('a', value), [email], [withEmail('b', value)])).toBeNull();
      expect(match(withEmail('a', value.toUpperCase()), [email], [withEmail('b', value.toUpperCase())])).toEqual({ rule: 'Email', candidate: 'b' });
    });

    it('does not count a blocked value as a conflict of an immutable identity', () => {
      const member = { ...rule('Member', 'traits.member', 2, true), blocked_values: ['n/a'] };
      const a = profile('a', { identity_attributes: { email: 'ada@example.com' }, traits: { member: 'n/a' } });
      const b = profile('b', { identity_attributes: { email: 'ada@example.com' }, traits: { member: 'M-7' } });
      expect(match(a, [email, member], [b])).toEqual({ rule: 'Email', candidate: 'b' });
    });

    it('joins at most max_profiles profiles through a rule, and says so', () => {
      const limited = { ...email, max_profiles: 2 };
      const joined = { ...withEmail('ab', 'ada@example.com'), merged_from: [{ profile_id: 'b', reason: { kind: 'rule' as const, rule_name: 'Email', rule_id: limited.rule_id }, triggered_by: 'merged' as const, merged_at: '' }] };
      const verdicts: string[] = [];
      const found = findMatch(withEmail('c', 'ada@example.com'), [limited], indexOf([joined]), (_r, _c, verdict) => verdicts.push(verdict.safeguard ?? ''));
      expect(found).toBeNull();
      expect(verdicts).toEqual(['max_profiles']);
      // Two profiles are within the limit.
      expect(match(withEmail('c', 'ada@example.com'), [limited], [withEmail('d', 'ada@example.com')])).toEqual({ rule: 'Email', candidate: 'd' });
    });

    it('keeps a split pair apart, and every profile merged into either side with it', () => {
      const a = { ...withEmail('a', 'ada@example.com'), kept_apart: ['b'] };
      const bWithC = { ...withEmail('c', 'ada@example.com'), absorbed: ['b'] };
      expect(keptApart(a, bWithC)).toBe(true);
      expect(checkMergeAllowed(a, bWithC, email, [email])).toMatchObject({ allowed: false, safeguard: 'kept_apart' });
      expect(keptApart(a, withEmail('d', 'ada@example.com'))).toBe(false);
    });
  });
});
