import { History } from '../components/history';
import { Lineage, lineageColours, reasonText, sortedMerges, triggerText } from '../components/lineage';
import { Link } from '../components/link';
import { EmptyState, ErrorNotice, Loading } from '../components/notice';
import { PageHeader } from '../components/page-header';
import { ProfileAttributes } from '../components/profile-attributes';
import { ScopeGate } from '../components/scope-gate';
import { useApp } from '../lib/app-context';
import { formatTime, shortId } from '../lib/format';
import { href } from '../lib/router';
import { SCOPE } from '../lib/scopes';
import { useResource } from '../lib/use-resource';

/** One unified profile: its attributes by scope, what merged into it, and its history. */
export function ProfilePage({ profileId }: { profileId: string }) {
  const { api, can } = useApp();
  const profile = useResource(() => api.getProfile(profileId), profileId, can(SCOPE.profileView));
  const p = profile.data;

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
              <h2 id="lineage" tabIndex={-1}>
                Merge lineage
              </h2>
              {sortedMerges(p).length === 0 ? (
                <EmptyState title="Nothing has merged into this profile">
                  <p>Profiles merge when they share a user_id at sign-in, or when a unification rule finds the same person.</p>
                </EmptyState>
              ) : (
                <>
                  <Lineage profile={p} />
                  <details class="lineage-details">
                  <summary>The same as a table</summary>
                  <table class="table responsive lineage-table" aria-label="Merged profiles">
                    <thead>
                      <tr>
                        <th scope="col">Profile</th>
                        <th scope="col">Merged</th>
                        <th scope="col">Why</th>
                        <th scope="col">Triggered by</th>
                      </tr>
                    </thead>
                    <tbody>
                      {sortedMerges(p).map((m) => (
                        <tr key={m.profile_id}>
                          <th scope="row" data-label="Profile">
                            <code title={m.profile_id}>{shortId(m.profile_id)}</code>
                          </th>
                          <td data-label="Merged">{formatTime(m.merged_at)}</td>
                          <td data-label="Why">{reasonText(m)}</td>
                          <td data-label="Triggered by">{triggerText(m)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  </details>
                </>
              )}
            </section>
            <section class="section" aria-labelledby="history">
              <h2 id="history" tabIndex={-1}>
                History
              </h2>
              <History profile={p} colours={lineageColours(p)} />
            </section>
          </>
        )}
      </ScopeGate>
    </>
  );
}
