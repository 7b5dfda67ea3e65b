import { HISTORY_ITEM_VERSION, HistoryItemType } from '@cds/application';

type Json = Record<string, unknown>;

const merge: Record<string, Json> = {
  reason: { type: 'string', enum: ['user_id', 'rule', 'manual'], description: 'A shared user_id, a unification rule (then `rule_name`), or a merge by hand.' },
  rule_name: { type: 'string' },
  triggered_by: { type: 'string', enum: ['survivor', 'merged'], description: 'Which side started the merge.' },
};

/** What each item type adds to the common fields, and which of those it always has. */
const FACTS: Record<HistoryItemType, { description: string; properties: Record<string, Json>; required: string[] }> = {
  profile_created: {
    description: 'A temporary profile was created.',
    properties: { tracking_consent: { type: 'boolean', description: 'false: kept on legitimate interest.' } },
    required: ['tracking_consent'],
  },
  attributes_written: {
    description: 'Attribute values were written (each met the stored value through its merge strategy).',
    properties: {
      source: { type: 'string', enum: ['http', 'kafka'] },
      addressed_to: { type: 'string', format: 'uuid', description: 'The profile the writer addressed, when it is one that had merged into this one (an unmerge gives the write back to it).' },
      writes: {
        type: 'array',
        items: {
          type: 'object',
          required: ['attribute_name', 'value'],
          properties: {
            attribute_name: { type: 'string', example: 'traits.interests' },
            application_identifier: { type: 'string', description: 'application_data only.' },
            value: { description: 'The value written; null when the write cleared the attribute.' },
          },
        },
      },
    },
    required: ['source', 'writes'],
  },
  user_id_stamped: {
    description: 'Sign-in attached a user id.',
    properties: { user_id: { type: 'string' } },
    required: ['user_id'],
  },
  merged_away: {
    description: 'This profile merged into a survivor; its id and tracker reach the survivor from here on.',
    properties: { survivor_id: { type: 'string', format: 'uuid' }, ...merge },
    required: ['survivor_id', 'reason', 'triggered_by'],
  },
  profile_merged_in: {
    description: 'Another profile merged into this one.',
    properties: {
      merged_profile_id: { type: 'string', format: 'uuid' },
      ...merge,
      saturated: { type: 'array', items: { type: 'string' }, description: '`sum` attributes whose two values added up beyond what they can hold: they kept the bound.' },
    },
    required: ['merged_profile_id', 'reason', 'triggered_by'],
  },
  profile_erased: { description: 'The profile was erased.', properties: {}, required: [] },
  merge_requested: {
    description: 'Someone asked for another profile to merge into this one by hand.',
    properties: { other_profile_id: { type: 'string', format: 'uuid' } },
    required: ['other_profile_id'],
  },
  unmerge_requested: {
    description: 'Someone asked for a profile merged into this one to be split off.',
    properties: { merged_profile_id: { type: 'string', format: 'uuid' } },
    required: ['merged_profile_id'],
  },
  profile_split_off: {
    description: 'A merged profile was split off: this profile is what it would be had that merge never happened. The two are kept apart from rule matches until merged by hand.',
    properties: {
      merged_profile_id: { type: 'string', format: 'uuid' },
      writes_returned: { type: 'integer', minimum: 0, description: 'Writes that had reached this profile through the split-off one and went back to it.' },
    },
    required: ['merged_profile_id', 'writes_returned'],
  },
  profile_restored: {
    description: 'This profile was split off its survivor and lives again as itself; kept apart from the survivor until merged by hand.',
    properties: {
      survivor_id: { type: 'string', format: 'uuid' },
      writes_returned: { type: 'integer', minimum: 0, description: 'Writes addressed to this profile while it was merged, now its own again.' },
      user_id_cancelled: { type: 'boolean', description: 'A user_id merge was undone: the user stamp it brought is cancelled.' },
    },
    required: ['survivor_id', 'writes_returned', 'user_id_cancelled'],
  },
  merge_blocked: {
    description: 'A rule matched another profile, but a safeguard kept them apart (recorded once per profile and reason).',
    properties: {
      other_profile_id: { type: 'string', format: 'uuid' },
      rule_name: { type: 'string' },
      reason: { type: 'string', enum: ['kept_apart', 'max_profiles'], description: 'kept_apart: the two were split apart; max_profiles: the rule joins no more profiles.' },
    },
    required: ['other_profile_id', 'rule_name', 'reason'],
  },
  tracker_released: { description: "A browser's session ended: its tracker no longer leads to this profile.", properties: {}, required: [] },
};

const COMMON: Record<string, Json> = {
  version: { type: 'integer', enum: [HISTORY_ITEM_VERSION], description: 'The version of this item shape.' },
  position: { type: 'integer', minimum: 0, description: 'Position in the log: pass it as `as_of` to see the profile right after it.' },
  profile_id: { type: 'string', format: 'uuid', description: 'The profile whose stream holds the event: the survivor or one merged into it.' },
  revision: { type: 'integer', minimum: 0, description: "The event's place in that profile's stream." },
  recorded_at: { type: 'string', format: 'date-time', description: 'When the log stored it.' },
  at: { type: 'string', format: 'date-time', description: 'When it happened.' },
};

/** The JSON schema of a history item (version 1), one alternative per item type. */
export const HISTORY_ITEM_SCHEMA: Json = {
  description: 'One entry of a profile history (version 1), told apart by `type`. Stored events are not the API: each is mapped to one of these.',
  oneOf: Object.entries(FACTS).map(([type, facts]) => ({
    type: 'object',
    title: type,
    description: facts.description,
    required: ['version', 'type', ...Object.keys(COMMON), ...facts.required].filter((key, i, all) => all.indexOf(key) === i),
    properties: { ...COMMON, type: { type: 'string', enum: [type] }, ...facts.properties },
  })),
};
