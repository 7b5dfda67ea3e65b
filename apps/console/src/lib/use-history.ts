import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchHistory, HistoryItem } from '../api/history';
import { useApp } from './app-context';

/** A profile's history as loaded so far, oldest first, one page at a time. */
export interface HistoryPages {
  items: HistoryItem[];
  /** Where the next page starts; none when everything is loaded. */
  cursor?: string;
  loading: boolean;
  error: unknown;
  /** Loads the next page (after an error: the page that failed). */
  loadMore(): void;
}

/** Loads the first page (once enabled) and again whenever the profile or `key` changes (after a merge or unmerge of it). */
export function useHistoryPages(profileId: string, key: string, enabled: boolean): HistoryPages {
  const { api } = useApp();
  const [state, setState] = useState<{ items: HistoryItem[]; cursor?: string; loading: boolean; error?: unknown }>({ items: [], loading: true });
  const ticket = useRef(0);

  const load = async (after?: string) => {
    // A newer load (another profile, or the first page again) makes this one's answer stale.
    const mine = after ? ticket.current : ++ticket.current;
    setState((before) => ({ ...before, items: after ? before.items : [], loading: true, error: undefined }));
    try {
      const page = await fetchHistory(api, profileId, after);
      if (mine !== ticket.current) return;
      setState((before) => ({ items: after ? [...before.items, ...page.items] : page.items, cursor: page.nextCursor, loading: false }));
    } catch (error) {
      if (mine === ticket.current) setState((before) => ({ ...before, loading: false, error }));
    }
  };

  useEffect(() => {
    if (enabled) void load();
  }, [profileId, key, enabled]);

  return { ...state, error: state.error, loadMore: () => void load(state.cursor) };
}
