import { ProfileEvent } from '@cds/domain';
import { RecordedEvent } from '../ports/event-store.port';
import { toNewEvent } from '../streams/event-codec';
import { toHistoryItem } from './profile-history';

const AT = '2026-06-05T10:00:00.000Z';
const STORED = '2026-06-05T10:00:00.123Z';
const A = '0b7e3c1a-0000-4000-8000-000000000001';
const B = '0b7e3c1a-0000-4000-8000-000000000002';

/** The event as the log hands it back: encoded as every append encodes it. */
const recorded = (event: ProfileEvent): RecordedEvent => ({
  ...toNewEvent(event, 'e', { tenant: 'acme' }),
  streamId: `profile-acme.${A}`,
  revision: 3,
  position: 7,
  created: STORED,
});
const common = { version: 1, position: 7, profile_id: A, revision: 3, recorded_at: STORED, at: AT };

describe('toHistoryItem (version 1)', () => {
  it('maps every stored profile event to its item, without the stored event’s internals', () => {
    const snapshot = { profile_id: B, anonymous_profile_tracker: 't', trackers: ['t'], user_id: null, verified: false, tracking_consent: true, created_at: AT, attributes: { identity_attributes: {}, traits: {}, application_data: {} }, merged_from: [] };
    const cases: Array<[ProfileEvent, Record<string, unknown>]> = [
      [{ type: 'ProfileCreated', data: { profile_id: A, anonymous_profile_tracker: 't', tracking_consent: false, at: AT } }, { type: 'profile_created', tracking_consent: false }],
      [
        {
          type: 'AttributePatched',
          data: {
            profile_id: A,
            source: 'kafka',
            idempotency_key: 'k',
            request_fingerprint: 'f',
            at: AT,
            writes: [
              { scope: 'traits', attribute: 'interests', value: ['running'], merge_strategy: 'combine', max_values: 1000 },
              { scope: 'application_data', application_id: 'shop', attribute: 'cart', value: null, merge_strategy: 'overwrite' },
            ],
          },
        },
        {
          type: 'attributes_written',
          source: 'kafka',
          writes: [
            { attribute_name: 'traits.interests', value: ['running'] },
            { attribute_name: 'application_data.cart', application_identifier: 'shop', value: null },
          ],
        },
      ],
      [{ type: 'UserStamped', data: { profile_id: A, user_id: 'user-42', at: AT } }, { type: 'user_id_stamped', user_id: 'user-42' }],
      [
        { type: 'ProfileMergedAway', data: { profile_id: A, survivor_id: B, reason: { kind: 'rule', rule_name: 'Same email' }, triggered_by: 'merged', at: AT } },
        { type: 'merged_away', survivor_id: B, reason: 'rule', rule_name: 'Same email', triggered_by: 'merged' },
      ],
      [
        {
          type: 'ProfilesMerged',
          data: { survivor_id: A, merged_profile_id: B, reason: { kind: 'user_id' }, triggered_by: 'survivor', incoming: 'merged', merged_revision: 4, merged: snapshot, rules: {}, saturated: ['traits.visits'], at: AT },
        },
        { type: 'profile_merged_in', merged_profile_id: B, reason: 'user_id', triggered_by: 'survivor', saturated: ['traits.visits'] },
      ],
      [{ type: 'ProfileDeleted', data: { profile_id: A, at: AT } }, { type: 'profile_erased' }],
    ];
    for (const [event, facts] of cases) expect(toHistoryItem(recorded(event), A)).toEqual({ ...common, ...facts });
  });
});
