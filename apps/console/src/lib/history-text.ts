import type { HistoryItem, Profile } from '@cds/contract';
import { formatValue, pluralize, shortId } from './format';

type MergeReason = Pick<Profile['merged_from'][number], 'reason' | 'rule_name'>;

/** Why two profiles merged, as a phrase: "same user_id", "rule “Email”", "by hand". */
export function mergeReasonText(m: MergeReason): string {
  switch (m.reason) {
    case 'rule':
      return `rule “${m.rule_name ?? '?'}”`;
    case 'manual':
      return 'by hand';
    default:
      return 'same user_id';
  }
}

/** Why two profiles merged, as a sentence ending: "because of the same user_id", "merged by hand". */
export function becauseOf(m: MergeReason): string {
  return m.reason === 'manual' ? 'merged by hand' : `because of ${m.reason === 'rule' ? '' : 'the '}${mergeReasonText(m)}`;
}

/** What an item is, in a few words. */
export function eventTitle(item: HistoryItem): string {
  switch (item.type) {
    case 'profile_created':
      return 'Profile created';
    case 'attributes_written':
      return 'Attributes written';
    case 'user_id_stamped':
      return 'Signed in';
    case 'merged_away':
      return 'Merged away';
    case 'profile_merged_in':
      return 'Profile merged in';
    case 'profile_erased':
      return 'Profile erased';
    case 'merge_requested':
      return 'Merge requested';
    case 'unmerge_requested':
      return 'Unmerge requested';
    case 'profile_split_off':
      return 'Profile split off';
    case 'profile_restored':
      return 'Restored as its own profile';
    case 'merge_blocked':
      return 'Merge blocked';
    case 'tracker_released':
      return 'Session ended';
    default:
      return unknownItem(item).title;
  }
}

const returnedWrites = (count: number) => `${pluralize(count, 'write')} made through its id or tracker while merged`;

/** What an item did, in a line or a few. */
export function eventLines(item: HistoryItem): string[] {
  switch (item.type) {
    case 'profile_created':
      return item.tracking_consent === false ? ['without tracking consent (legitimate interest)'] : [];
    case 'attributes_written':
      return [
        ...item.writes.map((w) => {
          const path = w.application_identifier ? w.attribute_name.replace(/^application_data\./, `application_data.${w.application_identifier}.`) : w.attribute_name;
          return w.value === null ? `${path} cleared` : `${path} ← ${formatValue(w.value)}`;
        }),
        `via ${item.source}`,
      ];
    case 'user_id_stamped':
      return [`user_id ${item.user_id}`];
    case 'merged_away':
      return [`into ${shortId(item.survivor_id)} ${becauseOf(item)}`, `triggered by ${item.triggered_by === 'merged' ? 'this profile' : 'the survivor'}`];
    case 'profile_merged_in':
      return [`${shortId(item.merged_profile_id)} ${becauseOf(item)}`, `triggered by ${item.triggered_by === 'merged' ? 'the merged profile' : 'the survivor'}`];
    case 'profile_erased':
      return [];
    case 'merge_requested':
      return [`asked to merge ${shortId(item.other_profile_id)} in, by hand`];
    case 'unmerge_requested':
      return [`asked to split ${shortId(item.merged_profile_id)} off`];
    case 'profile_split_off':
      return [
        `${shortId(item.merged_profile_id)} split off: this profile is recomputed as if it had never merged in`,
        `${returnedWrites(item.writes_returned)} went back to it`,
        'kept apart from it: no rule merges them again, only a merge by hand',
      ];
    case 'profile_restored':
      return [
        `split off ${shortId(item.survivor_id)}, its own profile again`,
        `${returnedWrites(item.writes_returned)} came back to it`,
        ...(item.user_id_cancelled ? ['its user_id sign-in is cancelled: a later sign-in on this device stamps it again'] : []),
        'kept apart from it: no rule merges them again, only a merge by hand',
      ];
    case 'merge_blocked':
      return [
        `rule “${item.rule_name}” matched ${shortId(item.other_profile_id)}`,
        item.reason === 'kept_apart' ? 'not merged: the two were split apart, only a merge by hand joins them' : 'not merged: the rule has joined as many profiles as its max_profiles allows',
      ];
    case 'tracker_released':
      return ['the browser’s cookie no longer leads to this profile'];
    default:
      return unknownItem(item).lines;
  }
}

/**
 * Every item type the console knows is handled above, and a new one in the contract fails to
 * compile until it is. A newer service may still answer a type this console does not know yet:
 * it is shown by its name, as the history contract asks of clients.
 */
function unknownItem(item: never): { title: string; lines: string[] } {
  const type = String((item as { type?: unknown }).type ?? 'event').replace(/_/g, ' ');
  return { title: type.charAt(0).toUpperCase() + type.slice(1), lines: [] };
}
