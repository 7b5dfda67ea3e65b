import { useState } from 'preact/hooks';
import type { Reply, UnifiedProfile } from '../api/client';
import { History } from '../components/history';
import { lineageColours } from '../components/lineage';
import { LineageSection } from '../components/lineage-section';
import { Link } from '../components/link';
import { ErrorNotice, Loading } from '../components/notice';
import { PageHeader } from '../components/page-header';
import { ProfileAttributes } from '../components/profile-attributes';
import { ScopeGate } from '../components/scope-gate';
import { useApp } from '../lib/app-context';
import { formatTime, shortId } from '../lib/format';
import { keptApartFrom, lineageTree } from '../lib/merge-lineage';
import { href, navigate } from '../lib/router';
import { SCOPE } from '../lib/scopes';
import { useHistoryPages } from '../lib/use-history';
import { useResource } from '../lib/use-resource';

/** One unified profile: its attributes by scope, what merged into it, and its history. */
export function ProfilePage({ profileId }: { profileId: string }) {
  const { api, can } = useApp();
  const profile = useResource(() => api.getProfile(profileId), profileId, can(SCOPE.profileView));
  const p = profile.data;
  // Each merge or unmerge made here: the history is read again after one.
  const [changes, setChanges] = useState(0);
  const history = useHistoryPages(p?.profile_id ?? '', String(changes), p !== undefined);
  const nodes = p ? lineageTree(p, history.items) : [];

  /** After a merge or unmerge: the survivor as the read model holds it once the change is in. */
  const showChange = async (reply: Reply<UnifiedProfile>) => {
    const survivorId = reply.body.profile_id;
    const now = await api.getProfileAfter(survivorId, reply.position).catch(() => reply.body);
    profile.set(now);
    // Opened by an id that merged away and is now split off: that id leads to itself again.
    if (survivorId !== profileId.toLowerCase()) navigate(href(`/profiles/${survivorId}`), { replace: true });
    setChanges((n) => n + 1);
  };

  return (
    <>
      <p class="breadcrumb">
        <Link href={href('/profiles')}>← Profiles</Link>
      </p>
      <PageHeader title={p ? `Profile ${shortId(p.profile_id)}` : `Profile ${shortId(profileId)}`} />
      <ScopeGate scope={SCOPE.profileView} what="see profiles">
        {profile.error !== undefined ? (
          <ErrorNotice error={profile.error} onRetry={profile.reload} />
        ) : !p ? (
          <Loading label="Loading the profile…" />
        ) : (
          <>
            {p.profile_id !== profileId.toLowerCase() && (
              <p class="notice notice-info" role="status" data-merged-notice>
                Profile <code>{profileId}</code> was merged into this one; its id and tracker now reach this profile.
              </p>
            )}
            <dl class="facts card">
              <div>
                <dt>Profile id</dt>
                <dd>
                  <code>{p.profile_id}</code>
                </dd>
              </div>
              <div>
                <dt>User id</dt>
                <dd>{p.user_id ?? <span class="muted">anonymous (temporary profile)</span>}</dd>
              </div>
              <div>
                <dt>Verified</dt>
                <dd>{p.verified ? 'yes' : 'no'}</dd>
              </div>
              <div>
                <dt>Created</dt>
                <dd>{formatTime(p.meta.created_at)}</dd>
              </div>
              <div>
                <dt>Updated</dt>
                <dd>{formatTime(p.meta.updated_at)}</dd>
              </div>
              <div>
                <dt>Tracker</dt>
                <dd>
                  <code class="small">{p.anonymous_profile_tracker}</code>
                </dd>
              </div>
            </dl>
            <nav class="in-page" aria-label="On this page">
              <a href="#attributes">Attributes</a>
              <a href="#lineage">Merge lineage</a>
              <a href="#history">History</a>
            </nav>
            <section class="section" aria-labelledby="attributes">
              <h2 id="attributes" tabIndex={-1}>
                Attributes
              </h2>
              <ProfileAttributes profile={p} idPrefix="now" />
            </section>
            <section class="section" aria-labelledby="lineage">
              <LineageSection key={p.profile_id} profile={p} nodes={nodes} keptApart={keptApartFrom(p, history.items)} partial={history.cursor !== undefined} onChanged={showChange} />
            </section>
            <section class="section" aria-labelledby="history">
              <h2 id="history" tabIndex={-1}>
                History
              </h2>
              <History key={`${p.profile_id}:${changes}`} profile={p} colours={lineageColours(p, nodes)} history={history} />
            </section>
          </>
        )}
      </ScopeGate>
    </>
  );
}
