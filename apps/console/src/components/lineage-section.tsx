import { useEffect, useRef, useState } from 'preact/hooks';
import type { Reply, UnifiedProfile } from '../api/client';
import { announce } from '../lib/announce';
import { useApp } from '../lib/app-context';
import { formatTime, shortId } from '../lib/format';
import { mergeReasonText } from '../lib/history-text';
import { carriedBy, LineageNode } from '../lib/merge-lineage';
import { href } from '../lib/router';
import { describeScope, SCOPE } from '../lib/scopes';
import { KeptApart } from './kept-apart';
import { Lineage, triggerText } from './lineage';
import { Link } from './link';
import { MergeDialog } from './merge-dialog';
import { EmptyState } from './notice';
import { UnmergeDialog } from './unmerge-dialog';

type Outcome = { kind: 'unmerged' | 'merged'; profileId: string };

/**
 * What merged into a profile, as a picture and a table, what it is kept apart from, and the two
 * ways to change it: unmerge a profile merged into it, or merge another one in by hand.
 */
export function LineageSection(props: {
  profile: UnifiedProfile;
  nodes: readonly LineageNode[];
  keptApart: readonly string[];
  /** The history is not all loaded: the kept-apart list may miss later unmerges. */
  partial: boolean;
  /** Shows the profile as the answer of a merge or unmerge left it. */
  onChanged: (reply: Reply<UnifiedProfile>) => Promise<void>;
}) {
  const { profile: p, nodes } = props;
  const { can } = useApp();
  const canMerge = can(SCOPE.profileMerge);
  const [unmerging, setUnmerging] = useState<LineageNode | null>(null);
  const [merging, setMerging] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const outcomeRef = useRef<HTMLParagraphElement>(null);

  // The control that opened the dialog may be gone (an unmerged profile's button): the outcome takes the focus.
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  const done = (next: Outcome) => async (reply: Reply<UnifiedProfile>) => {
    await props.onChanged(reply);
    setUnmerging(null);
    setMerging(false);
    setOutcome(next);
    announce(next.kind === 'unmerged' ? `Profile ${shortId(next.profileId)} is its own profile again` : `Profile ${shortId(next.profileId)} merged into this one`);
  };

  return (
    <>
      <div class="section-head">
        <h2 id="lineage" tabIndex={-1}>
          Merge lineage
        </h2>
        <button type="button" class="button" disabled={!canMerge} onClick={() => setMerging(true)}>
          Merge another profile…
        </button>
      </div>
      {!canMerge && <p class="notice notice-info small">You can look but not merge or unmerge: your sign-in lacks the scope to {describeScope(SCOPE.profileMerge)}.</p>}
      {outcome && (
        <p class="notice notice-success small" role="status" tabIndex={-1} ref={outcomeRef} data-outcome={outcome.kind}>
          {outcome.kind === 'unmerged' ? (
            <>
              Profile <code>{shortId(outcome.profileId)}</code> is its own profile again, with its own writes; this profile was recomputed without it.{' '}
              <Link href={href(`/profiles/${outcome.profileId}`)}>Open profile {shortId(outcome.profileId)}</Link>
            </>
          ) : (
            <>
              Profile <code>{shortId(outcome.profileId)}</code> merged into this one, by hand.
            </>
          )}
        </p>
      )}
      {nodes.length === 0 ? (
        <EmptyState title="Nothing has merged into this profile">
          <p>Profiles merge when they share a user_id at sign-in, when a unification rule finds the same person, or by hand.</p>
        </EmptyState>
      ) : (
        <>
          <Lineage profile={p} nodes={nodes} onUnmerge={canMerge ? setUnmerging : undefined} />
          <details class="lineage-details">
            <summary>The same as a table</summary>
            <table class="table responsive lineage-table" aria-label="Merged profiles">
              <thead>
                <tr>
                  <th scope="col">Profile</th>
                  <th scope="col">Merged into</th>
                  <th scope="col">Merged</th>
                  <th scope="col">Why</th>
                  <th scope="col">Triggered by</th>
                </tr>
              </thead>
              <tbody>
                {nodes.map(({ merge: m, direct, parentId }) => (
                  <tr key={m.profile_id}>
                    <th scope="row" data-label="Profile">
                      <code title={m.profile_id}>{shortId(m.profile_id)}</code>
                    </th>
                    <td data-label="Merged into">{direct ? 'this profile' : <code title={parentId}>{shortId(parentId)}</code>}</td>
                    <td data-label="Merged">{formatTime(m.merged_at)}</td>
                    <td data-label="Why">{mergeReasonText(m)}</td>
                    <td data-label="Triggered by">{triggerText(m)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
      <KeptApart ids={props.keptApart} partial={props.partial} />
      {unmerging && (
        <UnmergeDialog
          survivor={p}
          node={unmerging}
          carried={carriedBy(nodes, unmerging)}
          onCancel={() => setUnmerging(null)}
          onDone={done({ kind: 'unmerged', profileId: unmerging.merge.profile_id })}
        />
      )}
      {merging && <MergeDialog survivor={p} onCancel={() => setMerging(false)} onDone={(reply, mergedId) => done({ kind: 'merged', profileId: mergedId })(reply)} />}
    </>
  );
}

