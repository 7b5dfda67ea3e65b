import type { Reply, UnifiedProfile } from '../api/client';
import { useApp } from '../lib/app-context';
import { formatTime, pluralize, shortId } from '../lib/format';
import { mergeReasonText } from '../lib/history-text';
import type { LineageNode } from '../lib/merge-lineage';
import { ConfirmDialog } from './dialog';

/** "Unmerge this profile?": what an unmerge does, said before it is done. */
export function UnmergeDialog(props: {
  survivor: UnifiedProfile;
  node: LineageNode;
  /** The profiles that merged into this one before it merged in: they go with it. */
  carried: readonly LineageNode[];
  onCancel: () => void;
  onDone: (reply: Reply<UnifiedProfile>) => Promise<void>;
}) {
  const { api } = useApp();
  const { survivor, node, carried } = props;
  const merged = node.merge;
  const confirm = async () => props.onDone(await api.unmergeProfile(survivor.profile_id, merged.profile_id));

  return (
    <ConfirmDialog title={`Unmerge profile ${shortId(merged.profile_id)}?`} confirmLabel="Unmerge" onConfirm={confirm} onCancel={props.onCancel}>
      <p>
        Profile <code>{merged.profile_id}</code> merged into this one on {formatTime(merged.merged_at)} ({mergeReasonText(merged)}). Unmerging it undoes that merge exactly:
      </p>
      <ul class="consequences">
        <li>
          It becomes its own profile again, under its own id, with its own writes and the writes that reached this profile through its id or its tracker since the
          merge.
        </li>
        {carried.length > 0 && <li>{pluralize(carried.length, 'profile')} that had merged into it before go with it.</li>}
        <li>This profile is recomputed as if the merge had never happened, keeping the writes made to it.</li>
        {merged.reason === 'user_id' && (
          <li>
            The merge came from a sign-in with the same user_id: that device’s sign-in is cancelled (its user_id is taken off). A later sign-in there stamps it and merges it
            again.
          </li>
        )}
        <li>The two are kept apart: no unification rule merges them again, until someone merges them by hand.</li>
      </ul>
    </ConfirmDialog>
  );
}
