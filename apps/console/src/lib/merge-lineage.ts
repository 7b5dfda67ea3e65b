import type { HistoryItem, Profile } from '@cds/contract';

export type Merge = Profile['merged_from'][number];

/** One profile of a lineage: where it merged in, and how deep below the surviving profile. */
export interface LineageNode {
  merge: Merge;
  /** The profile it merged into: the surviving profile, or one merged into it. */
  parentId: string;
  /** 1 for a profile merged directly into the surviving one. */
  depth: number;
  /** Merged directly into the surviving profile: only such a merge can be undone from here. */
  direct: boolean;
}

/**
 * The merge tree of a profile, parents before their children, each level in merge order.
 *
 * `merged_from` lists every profile merged in, directly or not, each followed by what had merged
 * into it before. Which profile each one merged into is said exactly by the history's
 * `profile_merged_in` items (the stream holding one is the profile it merged into); for a profile
 * whose item is not loaded yet, the order of `merged_from` and the times tell: a profile merged
 * in no later than the one before it belongs below that one.
 */
export function lineageTree(profile: Profile, history: readonly HistoryItem[] = []): LineageNode[] {
  const mergedInto = new Map<string, string>();
  for (const item of history) if (item.type === 'profile_merged_in') mergedInto.set(item.merged_profile_id, item.profile_id);

  const nodes: LineageNode[] = [];
  // The chain from the surviving profile down to the node placed last.
  const chain: Array<{ id: string; mergedAt: string; depth: number }> = [{ id: profile.profile_id, mergedAt: '\uffff', depth: 0 }];
  for (const merge of profile.merged_from ?? []) {
    const known = mergedInto.get(merge.profile_id);
    const knownAt = known === undefined ? -1 : chain.findIndex((link) => link.id === known);
    if (knownAt >= 0) chain.length = knownAt + 1;
    else while (chain.length > 1 && chain[chain.length - 1].mergedAt < merge.merged_at) chain.pop();
    const parent = chain[chain.length - 1];
    const depth = parent.depth + 1;
    nodes.push({ merge, parentId: parent.id, depth, direct: depth === 1 });
    chain.push({ id: merge.profile_id, mergedAt: merge.merged_at, depth });
  }
  return nodes;
}

/** The profiles that had merged into `node` before it merged in: an unmerge of `node` takes them along. */
export function carriedBy(nodes: readonly LineageNode[], node: LineageNode): LineageNode[] {
  const start = nodes.indexOf(node) + 1;
  const end = nodes.findIndex((n, i) => i >= start && n.depth <= node.depth);
  return start === 0 ? [] : nodes.slice(start, end < 0 ? nodes.length : end);
}

/**
 * The profiles a unified profile is kept apart from: split off it (or it off them) by an unmerge,
 * so no rule match merges them again. A merge by hand (or a sign-in of their user) joins them
 * again; what is part of the profile now is not kept apart from it.
 */
export function keptApartFrom(profile: Profile, history: readonly HistoryItem[]): string[] {
  const apart: string[] = [];
  for (const item of history) {
    const other = item.type === 'profile_split_off' ? item.merged_profile_id : item.type === 'profile_restored' ? item.survivor_id : undefined;
    if (other !== undefined && !apart.includes(other)) apart.push(other);
  }
  const together = new Set([profile.profile_id, ...(profile.merged_from ?? []).map((m) => m.profile_id)]);
  return apart.filter((id) => !together.has(id));
}
