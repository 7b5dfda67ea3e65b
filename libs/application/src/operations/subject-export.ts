import { JsonValue, MergedFrom, toUnifiedProfile, UnifiedProfile } from '@cds/domain';
import { EventStore } from '../ports/event-store.port';
import { followMergeChain } from '../profiles/follow-merge-chain';
import { ProfileStreams } from '../profiles/profile-streams';
import { HistoryItem, readProfileHistory } from './profile-history';

/** What one merged profile brought: its data as it was when it merged in. */
export interface MergedProfileExport {
  profile_id: string;
  merged_at: string;
  reason: MergedFrom['reason']['kind'];
  rule_name?: string;
  triggered_by: 'survivor' | 'merged';
  /** Null when its data is not readable on its own (it came in through another merged profile). */
  when_merged: { user_id: string | null; identity_attributes: Record<string, JsonValue>; traits: Record<string, JsonValue>; application_data: Record<string, Record<string, JsonValue>> } | null;
}

/** A data subject's export (right of access and to portability): everything kept about them. */
export interface SubjectExport {
  format: 'cds-subject-export';
  version: 1;
  organization: string;
  exported_at: string;
  /** The unified profile as it is now. */
  profile: UnifiedProfile;
  /** Every profile merged into it, directly or through others. */
  merged_profiles: MergedProfileExport[];
  /** Its whole history and that of every profile merged into it, oldest first, as history items. */
  history: HistoryItem[];
}

const PAGE = 1000;

/** The export of the subject a profile id leads to (a merged-away id: its survivor), or null when there is none. */
export async function exportSubject(store: EventStore, profiles: ProfileStreams, tenant: string, profileId: string, now: Date): Promise<SubjectExport | null> {
  const live = (await followMergeChain(profiles, tenant, profileId)).live;
  if (!live) return null;
  const profile = live.state.profile;
  const history: HistoryItem[] = [];
  for (let after: number | undefined; ; ) {
    const page = await readProfileHistory(store, tenant, profile.profile_id, { after, pageSize: PAGE });
    if (!page) return null;
    history.push(...page.events);
    if (page.next_after === null) break;
    after = page.next_after;
  }
  const merged_profiles = await Promise.all(profile.merged_from.map((merged) => mergedProfile(profiles, tenant, merged)));
  return {
    format: 'cds-subject-export',
    version: 1,
    organization: tenant,
    exported_at: now.toISOString(),
    profile: toUnifiedProfile(tenant, profile),
    merged_profiles,
    history,
  };
}

async function mergedProfile(profiles: ProfileStreams, tenant: string, merged: MergedFrom): Promise<MergedProfileExport> {
  const closed = (await profiles.load(tenant, merged.profile_id)).state.closed?.state;
  return {
    profile_id: merged.profile_id,
    merged_at: merged.merged_at,
    reason: merged.reason.kind,
    ...(merged.reason.kind === 'rule' ? { rule_name: merged.reason.rule_name } : {}),
    triggered_by: merged.triggered_by,
    when_merged: closed
      ? { user_id: closed.user_id, identity_attributes: closed.attributes.identity_attributes, traits: closed.attributes.traits, application_data: closed.attributes.application_data }
      : null,
  };
}
