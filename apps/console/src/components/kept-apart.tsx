import { shortId } from '../lib/format';
import { href } from '../lib/router';
import { Link } from './link';

/** The profiles an unmerge split from this one: no rule match merges them again, only a merge by hand. */
export function KeptApart({ ids, partial }: { ids: readonly string[]; partial: boolean }) {
  if (ids.length === 0) return null;
  return (
    <div class="kept-apart" data-kept-apart>
      <p class="kept-apart-title">
        Kept apart from {ids.length === 1 ? 'one profile' : `${ids.length} profiles`}
        <span class="muted small"> · split by an unmerge; rules do not merge them again, only a merge by hand does</span>
      </p>
      <ul class="chips">
        {ids.map((id) => (
          <li key={id} class="chip" data-profile-id={id}>
            <Link href={href(`/profiles/${id}`)} aria-label={`Open profile ${id}`}>
              <code>{shortId(id)}</code>
            </Link>
          </li>
        ))}
      </ul>
      {partial && <p class="muted small">From the history loaded so far: load more events below to see later unmerges.</p>}
    </div>
  );
}
