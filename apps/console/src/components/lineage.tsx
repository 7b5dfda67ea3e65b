import { useEffect, useRef, useState } from 'preact/hooks';
import type { UnifiedProfile } from '../api/client';
import { formatTime, shortId } from '../lib/format';
import { becauseOf, mergeReasonText } from '../lib/history-text';
import { LineageNode, Merge } from '../lib/merge-lineage';

/** One colour per profile of a lineage, shared with the history timeline. */
export const PROFILE_COLOURS = ['#2557a7', '#b4461b', '#1b7f5a', '#8a3ea8', '#9a6b00', '#0f6f86', '#b0305c'];

export function lineageColours(profile: UnifiedProfile, nodes: readonly LineageNode[]): Map<string, string> {
  const colours = new Map<string, string>([[profile.profile_id, PROFILE_COLOURS[0]]]);
  nodes.forEach((n, i) => colours.set(n.merge.profile_id, PROFILE_COLOURS[(i + 1) % PROFILE_COLOURS.length]));
  return colours;
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
/** How far a profile merged into a merged profile sits to the right of it. */
const INDENT = 22;

/**
 * The merge lineage as a picture: the surviving profile on top, every profile merged into it
 * below (a profile merged into one of those below that one), each with when, why and who
 * triggered the merge. With `onUnmerge`, each profile merged directly into the surviving one
 * gets an Unmerge button on its box.
 */
export function Lineage({ profile, nodes, onUnmerge }: { profile: UnifiedProfile; nodes: readonly LineageNode[]; onUnmerge?: (node: LineageNode) => void }) {
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

  const colours = lineageColours(profile, nodes);
  const top = PAD + SURVIVOR_H + GAP + 8;
  const height = top + nodes.length * (NODE_H + GAP) - GAP + PAD;
  const trunkX = PAD + TRUNK;
  const place = (i: number) => {
    const x = trunkX + 18 + (nodes[i].depth - 1) * INDENT;
    return { x, y: top + i * (NODE_H + GAP), w: width - x - PAD };
  };
  const lastDirect = nodes.reduce((last, n, i) => (n.direct ? i : last), 0);
  const description = nodes
    .map((n, i) => {
      const into = n.direct ? 'in' : `into profile ${n.parentId}`;
      return `${i + 1}. Profile ${n.merge.profile_id} merged ${into} on ${formatTime(n.merge.merged_at)}, ${becauseOf(n.merge)}, triggered by ${triggerText(n.merge)}.`;
    })
    .join(' ');

  return (
    <div class="lineage" ref={box}>
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-labelledby="lineage-title lineage-desc" data-merges={nodes.length}>
        <title id="lineage-title">
          Merge lineage of profile {profile.profile_id}: {nodes.length} profile{nodes.length === 1 ? '' : 's'} merged in
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
        {nodes.length > 0 && (
          <line x1={trunkX} y1={place(lastDirect).y + NODE_H / 2} x2={trunkX} y2={PAD + SURVIVOR_H + 4} stroke="#475467" stroke-width="2" marker-end="url(#lineage-arrow)" />
        )}
        {nodes.map((n, i) => {
          const { x, y, w } = place(i);
          const m = n.merge;
          const colour = colours.get(m.profile_id) ?? PROFILE_COLOURS[1];
          const parent = nodes.findIndex((p) => p.merge.profile_id === n.parentId);
          // A direct merge joins the trunk; any other hangs from the left edge of the box it merged into.
          const fromX = n.direct || parent < 0 ? trunkX : place(parent).x + 10;
          const fromY = n.direct || parent < 0 ? y + NODE_H / 2 : place(parent).y + NODE_H;
          return (
            <g key={m.profile_id} class={`node merged${n.direct ? ' direct' : ''}`} data-profile-id={m.profile_id} data-reason={m.reason} data-depth={n.depth}>
              {!n.direct && <line x1={fromX} y1={fromY} x2={fromX} y2={y + NODE_H / 2} stroke="#475467" stroke-width="2" />}
              <line x1={x} y1={y + NODE_H / 2} x2={fromX} y2={y + NODE_H / 2} stroke="#475467" stroke-width="2" />
              <circle cx={fromX} cy={y + NODE_H / 2} r="3.5" fill="#475467" />
              <rect x={x} y={y} width={w} height={NODE_H} rx="10" fill="#ffffff" stroke={colour} stroke-width="2" />
              <circle cx={x + 18} cy={y + 20} r="6" fill={colour} />
              <text x={x + 32} y={y + 25} class="node-title">
                {shortId(m.profile_id)} {n.direct ? 'merged in' : `into ${shortId(n.parentId)}`}
              </text>
              <text x={x + 14} y={y + 25 + LINE} class="node-text">
                {formatTime(m.merged_at)}
              </text>
              <text x={x + 14} y={y + 25 + 2 * LINE} class={`node-text reason ${m.reason}`}>
                why: {mergeReasonText(m)}
              </text>
              <text x={x + 14} y={y + 25 + 3 * LINE} class="node-text muted">
                triggered by {triggerText(m)}
              </text>
            </g>
          );
        })}
      </svg>
      {onUnmerge &&
        nodes.map((n, i) => {
          if (!n.direct) return null;
          const { x, y, w } = place(i);
          return (
            <button
              key={n.merge.profile_id}
              type="button"
              class="button small danger-outline lineage-action"
              style={{ left: `${x + w - 10}px`, top: `${y + 10}px` }}
              aria-label={`Unmerge profile ${n.merge.profile_id} from this one`}
              data-unmerge={n.merge.profile_id}
              onClick={() => onUnmerge(n)}
            >
              Unmerge
            </button>
          );
        })}
    </div>
  );
}
