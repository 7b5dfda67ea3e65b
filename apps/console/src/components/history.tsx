import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, UnifiedProfile } from '../api/client';
import { fetchProfileAsOf, keyOf, pointOf } from '../api/history';
import { useApp } from '../lib/app-context';
import { formatTime, shortId } from '../lib/format';
import { eventLines, eventTitle } from '../lib/history-text';
import type { HistoryPages } from '../lib/use-history';
import { EmptyState, ErrorNotice, Loading } from './notice';
import { ProfileAttributes } from './profile-attributes';

/**
 * The history of a profile and of everything merged into it, in log order, with a time slider:
 * moving it shows the profile as it was right after the chosen event.
 */
export function History({ profile, colours, history }: { profile: UnifiedProfile; colours: Map<string, string>; history: HistoryPages }) {
  const { api } = useApp();
  const { items: events, cursor, loading, error, loadMore } = history;
  const [selected, setSelected] = useState<number | null>(null);
  const [past, setPast] = useState<{ index: number; profile?: UnifiedProfile; error?: unknown; loading: boolean; before?: boolean } | null>(null);
  const ticket = useRef(0);
  const timer = useRef<number | undefined>(undefined);


  const last = events.length - 1;
  const index = selected ?? last;
  const atNow = selected === null || selected === last;

  const choose = (next: number) => {
    const clamped = Math.max(0, Math.min(last, next));
    setSelected(clamped);
    window.clearTimeout(timer.current);
    // A newer choice makes every answer still on its way stale.
    const mine = ++ticket.current;
    if (clamped === last && !cursor) {
      setPast(null);
      return;
    }
    const event = events[clamped];
    const point = pointOf(event);
    setPast((current) => ({ index: clamped, profile: current?.profile, loading: true }));
    // While the slider moves, ask only for where it comes to rest.
    timer.current = window.setTimeout(async () => {
      try {
        const then = await fetchProfileAsOf(api, profile.profile_id, point);
        if (mine === ticket.current) setPast({ index: clamped, profile: then, loading: false });
      } catch (failure) {
        // Before the surviving profile existed, the event's own profile is what there was.
        const own = event.profile_id;
        if (failure instanceof ApiError && failure.code === 'profile_not_found' && own && own !== profile.profile_id) {
          try {
            const then = await fetchProfileAsOf(api, own, point);
            if (mine === ticket.current) setPast({ index: clamped, profile: then, loading: false, before: true });
            return;
          } catch {
            // fall through to the first answer
          }
        }
        if (mine === ticket.current) setPast({ index: clamped, loading: false, error: failure });
      }
    }, 200);
  };

  useEffect(() => () => window.clearTimeout(timer.current), []);

  if (error !== undefined && events.length === 0) {
    return <ErrorNotice error={error} onRetry={loadMore} />;
  }
  if (loading && events.length === 0) return <Loading label="Loading history…" />;
  if (events.length === 0) {
    return <EmptyState title="No history yet">The log holds no event of this profile.</EmptyState>;
  }

  const current = events[index];
  const valueText = `Event ${index + 1} of ${events.length}: ${eventTitle(current)}, ${formatTime(current.at)}`;

  return (
    <div class="history">
      <div class="slider-card">
        <label for="history-slider" class="slider-label">
          Time travel: show the profile as it was after an event
        </label>
        <input
          id="history-slider"
          type="range"
          min={0}
          max={last}
          step={1}
          value={index}
          aria-valuetext={valueText}
          onInput={(e) => choose(Number(e.currentTarget.value))}
          list="history-ticks"
        />
        <datalist id="history-ticks">
          {events.map((e, i) => (
            <option key={keyOf(e)} value={i} />
          ))}
        </datalist>
        <div class="slider-scale" aria-hidden="true">
          <span>{formatTime(events[0].at)}</span>
          <span>{cursor ? 'more events not loaded yet' : 'now'}</span>
        </div>
        <output for="history-slider" class="slider-output" id="history-output">
          {atNow && !cursor ? (
            <>
              Showing the profile <strong>as it is now</strong> (after event {index + 1} of {events.length}).
            </>
          ) : (
            <>
              As of <strong>{formatTime(current.at)}</strong>
              {' '}· log position {current.position} · after “{eventTitle(current)}” (event {index + 1} of {events.length})
            </>
          )}
        </output>
      </div>

      {past && (
        <section class="as-of card" aria-labelledby="as-of-title" aria-busy={past.loading}>
          <h3 id="as-of-title">
            {past.before && past.profile ? `Profile ${shortId(past.profile.profile_id)} (merged in later)` : 'The profile'} as of {formatTime(events[past.index]?.at)}
            {past.loading && <span class="spinner inline" aria-hidden="true" />}
          </h3>
          {past.error !== undefined ? (
            past.error instanceof ApiError && past.error.code === 'profile_not_found' ? (
              <p class="notice notice-info small">The profile did not exist yet at this point of the log.</p>
            ) : (
              <ErrorNotice error={past.error} compact />
            )
          ) : past.profile ? (
            <>
              {past.before && <p class="notice notice-info small">The surviving profile did not exist yet at this point; this is the profile that did, before it merged in.</p>}
              <p class="muted small" data-as-of-summary>
                {past.profile.user_id ? `user_id ${past.profile.user_id}` : 'anonymous'} · {past.profile.merged_from?.length ?? 0} merged in ·{' '}
                {Object.keys(past.profile.traits ?? {}).length + Object.keys(past.profile.identity_attributes ?? {}).length} attributes
              </p>
              <ProfileAttributes profile={past.profile} compare={profile} idPrefix="as-of" />
            </>
          ) : (
            <Loading label="Replaying the log…" />
          )}
        </section>
      )}

      <ol class="timeline" aria-label="Events, oldest first">
        {events.map((event, i) => {
          const colour = colours.get(event.profile_id) || '#667085';
          const future = i > index;
          const lines = eventLines(event);
          return (
            <li key={keyOf(event)} class={`event${future ? ' future' : ''}${i === index ? ' current' : ''}`} data-type={event.type}>
              <span class="event-dot" style={{ background: colour }} aria-hidden="true" />
              <div class="event-body">
                <p class="event-head">
                  <span class="event-title">{eventTitle(event)}</span>
                  <span class="chip profile-chip" style={{ borderColor: colour }}>
                    <span class="visually-hidden">profile </span>
                    {shortId(event.profile_id)}
                    {event.profile_id === profile.profile_id ? ' (this)' : ''}
                  </span>
                </p>
                <p class="event-time muted small">
                  <time dateTime={event.at}>{formatTime(event.at)}</time> · position {event.position}
                  {future && <span class="visually-hidden"> (after the chosen point)</span>}
                </p>
                {lines.length > 0 && (
                  <ul class="event-lines">
                    {lines.map((line, n) => (
                      <li key={n}>{line}</li>
                    ))}
                  </ul>
                )}
                <button type="button" class="link-button small" onClick={() => choose(i)} aria-label={`Show the profile as it was after event ${i + 1}, ${eventTitle(event)}`}>
                  Show as of here
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      {error !== undefined && <ErrorNotice error={error} compact onRetry={loadMore} />}
      {cursor && (
        <button type="button" class="button" disabled={loading} onClick={loadMore}>
          {loading ? 'Loading…' : 'Load more events'}
        </button>
      )}
    </div>
  );
}
