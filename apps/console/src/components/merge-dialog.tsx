import { useEffect, useRef, useState } from 'preact/hooks';
import type { Reply, UnifiedProfile } from '../api/client';
import { useApp } from '../lib/app-context';
import { formatTime, pluralize, shortId } from '../lib/format';
import { isProfileId, PROFILE_ID_PROBLEM } from '../lib/profile-id';
import { Dialog } from './dialog';
import { describedBy, Field } from './field';
import { ErrorNotice } from './notice';

/**
 * "Merge another profile": enter or paste its id, see which profile that is, then merge it into
 * this one, which survives (reason `manual`). The API judges whether they may merge.
 */
export function MergeDialog({ survivor, onCancel, onDone }: { survivor: UnifiedProfile; onCancel: () => void; onDone: (reply: Reply<UnifiedProfile>, mergedId: string) => Promise<void> }) {
  const { api } = useApp();
  const [id, setId] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [other, setOther] = useState<UnifiedProfile | null>(null);
  const [busy, setBusy] = useState<'looking' | 'merging' | null>(null);
  const [error, setError] = useState<unknown>();
  const summary = useRef<HTMLDivElement>(null);
  const typed = id.trim().toLowerCase();
  const alreadyHere = other !== null && other.profile_id === survivor.profile_id;

  useEffect(() => {
    if (other) summary.current?.focus();
  }, [other]);

  const lookUp = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setOther(null);
    if (!isProfileId(typed)) {
      setProblem(PROFILE_ID_PROBLEM);
      document.getElementById('merge-id')?.focus();
      return;
    }
    setProblem(undefined);
    setBusy('looking');
    try {
      setOther(await api.getProfile(typed));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  };

  const merge = async () => {
    if (!other) return;
    setBusy('merging');
    setError(undefined);
    try {
      await onDone(await api.mergeProfile(survivor.profile_id, other.profile_id), other.profile_id);
    } catch (failure) {
      setError(failure);
      setBusy(null);
    }
  };

  return (
    <Dialog title="Merge another profile into this one" onClose={onCancel} wide>
      <form class="form" onSubmit={lookUp} noValidate>
        <Field id="merge-id" label="Profile id to merge in" problem={problem} hint="Paste the id of the profile to merge. This profile survives; the other one’s id and tracker lead here afterwards.">
          <div class="inline-form">
            <input
              id="merge-id"
              autofocus
              value={id}
              placeholder="profile id"
              autocapitalize="off"
              spellcheck={false}
              onInput={(e) => {
                setId(e.currentTarget.value);
                setOther(null);
                setError(undefined);
              }}
              aria-invalid={problem ? true : undefined}
              aria-describedby={describedBy('merge-id')}
            />
            <button type="submit" class="button" disabled={busy !== null}>
              {busy === 'looking' ? 'Looking…' : 'Look up'}
            </button>
          </div>
        </Field>
      </form>
      {other && (
        <div class="merge-candidate card" ref={summary} tabIndex={-1} role="group" aria-label="The profile to merge in" data-candidate={other.profile_id}>
          {alreadyHere ? (
            <p class="notice notice-info small" role="status">
              {typed === survivor.profile_id ? 'That is this profile.' : `Profile ${shortId(typed)} is already part of this one: it merged in before.`} There is nothing to merge.
            </p>
          ) : (
            <>
              <p>
                <strong>Profile <code>{other.profile_id}</code></strong>
                {other.profile_id !== typed && <span class="muted"> (profile {shortId(typed)} merged into it)</span>}
              </p>
              <p class="muted small">
                {other.user_id ? `user_id ${other.user_id}` : 'anonymous'} · created {formatTime(other.meta.created_at)} · {pluralize(other.merged_from?.length ?? 0, 'profile')} merged into it
              </p>
              <p class="small">
                It merges into this profile ({survivor.user_id ? `user_id ${survivor.user_id}` : 'anonymous'}), which survives: each attribute’s values meet by its merge strategy, and
                the merge is recorded as made by hand. If the two were kept apart after an unmerge, this joins them again. Profiles of different users never merge.
              </p>
            </>
          )}
        </div>
      )}
      {error !== undefined && <ErrorNotice error={error} compact />}
      <div class="dialog-actions">
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" class="button primary" disabled={!other || alreadyHere || busy !== null} onClick={merge}>
          {busy === 'merging' ? 'Merging…' : 'Merge into this profile'}
        </button>
      </div>
    </Dialog>
  );
}
