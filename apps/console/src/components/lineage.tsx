import { useEffect, useRef, useState } from 'preact/hooks';
import type { UnifiedProfile } from '../api/client';
import { formatTime, shortId } from '../lib/format';

type Merge = UnifiedProfile['merged_from'][number];

/** One colour per profile of a lineage, shared with the history timeline. */
export const PROFILE_COLOURS = ['#2557a7', '#b4461b', '#1b7f5a', '#8a3ea8', '#9a6b00', '#0f6f86', '#b0305c'];

export function lineageColours(profile: UnifiedProfile): Map<string, string> {
  const colours = new Map<string, string>([[profile.profile_id, PROFILE_COLOURS[0]]]);
  sortedMerges(profile).forEach((m, i) => colours.set(m.profile_id, PROFILE_COLOURS[(i + 1) % PROFILE_COLOURS.length]));
  return colours;
}

export function sortedMerges(profile: UnifiedProfile): Merge[] {
  return [...(profile.merged_from ?? [])].sort((a, b) => a.merged_at.localeCompare(b.merged_at));
}

export function reasonText(m: Pick<Merge, 'reason' | 'rule_name'>): string {
  return m.reason === 'rule' ? `unification rule “${m.rule_name ?? '?'}”` : 'same user_id (sign-in)';
}

export function triggerText(m: Pick<Merge, 'triggered_by'>): string {
  return m.triggered_by === 'merged' ? 'the merged profile' : 'this profile';
}

const PAD = 12;
const TRUNK = 28;
const SURVIVOR_H = 76;
const NODE_H = 86;
const GAP = 18;
const LINE = 17;

/**
 * The merge lineage as a picture: the surviving profile on top, every profile merged into it
 * below in the order they merged, each joined to it with when, why and who triggered the merge.
 */
export function Lineage({ profile }: { profile: UnifiedProfile }) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(640);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(280, Math.min(760, Math.floor(element.getBoundingClientRect().width))));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const merges = sortedMerges(profile);
  const colours = lineageColours(profile);
  const nodeX = PAD + TRUNK + 18;
  const nodeW = width - nodeX - PAD;
  const top = PAD + SURVIVOR_H + GAP + 8;
  const height = top + merges.length * (NODE_H + GAP) - GAP + PAD;
  const trunkX = PAD + TRUNK;
  const lastCentre = top + (merges.length - 1) * (NODE_H + GAP) + NODE_H / 2;
  const description = merges
    .map((m, i) => `${i + 1}. Profile ${m.profile_id} merged in on ${formatTime(m.merged_at)}, because of ${reasonText(m)}, triggered by ${triggerText(m)}.`)
    .join(' ');

  return (
    <div class="lineage" ref={box}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        role="img"
        aria-labelledby="lineage-title lineage-desc"
        data-merges={merges.length}
      >
        <title id="lineage-title">
          Merge lineage of profile {profile.profile_id}: {merges.length} profile{merges.length === 1 ? '' : 's'} merged in
        </title>
        <desc id="lineage-desc">{description}</desc>
        <defs>
          <marker id="lineage-arrow" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" fill="#475467" />
          </marker>
        </defs>
        {/* The survivor. */}
        <g class="node survivor">
          <rect x={PAD} y={PAD} width={width - 2 * PAD} height={SURVIVOR_H} rx="10" fill="#eef4ff" stroke={colours.get(profile.profile_id)} stroke-width="2" />
          <circle cx={PAD + 18} cy={PAD + 20} r="6" fill={colours.get(profile.profile_id)} />
          <text x={PAD + 32} y={PAD + 25} class="node-title">
            {shortId(profile.profile_id)} · surviving profile
          </text>
          <text x={PAD + 14} y={PAD + 25 + LINE} class="node-text">
            {profile.user_id ? `user_id ${profile.user_id}` : 'anonymous'}
          </text>
          <text x={PAD + 14} y={PAD + 25 + 2 * LINE} class="node-text muted">
            created {formatTime(profile.meta.created_at)}
          </text>
        </g>
        {merges.length > 0 && (
          <line x1={trunkX} y1={lastCentre} x2={trunkX} y2={PAD + SURVIVOR_H + 4} stroke="#475467" stroke-width="2" marker-end="url(#lineage-arrow)" />
        )}
        {merges.map((m, i) => {
          const y = top + i * (NODE_H + GAP);
          const colour = colours.get(m.profile_id) ?? PROFILE_COLOURS[1];
          const rule = m.reason === 'rule';
          return (
            <g key={m.profile_id} class="node merged" data-profile-id={m.profile_id} data-reason={m.reason}>
              <line x1={nodeX} y1={y + NODE_H / 2} x2={trunkX} y2={y + NODE_H / 2} stroke="#475467" stroke-width="2" />
              <circle cx={trunkX} cy={y + NODE_H / 2} r="3.5" fill="#475467" />
              <rect x={nodeX} y={y} width={nodeW} height={NODE_H} rx="10" fill="#ffffff" stroke={colour} stroke-width="2" />
              <circle cx={nodeX + 18} cy={y + 20} r="6" fill={colour} />
              <text x={nodeX + 32} y={y + 25} class="node-title">
                {shortId(m.profile_id)} merged in
              </text>
              <text x={nodeX + 14} y={y + 25 + LINE} class="node-text">
                {formatTime(m.merged_at)}
              </text>
              <text x={nodeX + 14} y={y + 25 + 2 * LINE} class={`node-text reason ${rule ? 'rule' : 'user'}`}>
                why: {rule ? `rule “${m.rule_name ?? '?'}”` : 'same user_id'}
              </text>
              <text x={nodeX + 14} y={y + 25 + 3 * LINE} class="node-text muted">
                triggered by {triggerText(m)}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
