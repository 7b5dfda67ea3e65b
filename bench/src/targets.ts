/** The targets on a 2-core machine; the results say by how much each is met or missed. */
export interface Target {
  name: string;
  measured: number | null;
  target: number;
  /** higher: the measure must reach the target; lower: it must stay under it. */
  better: 'higher' | 'lower';
  unit: string;
}

export function verdict(t: Target) {
  if (t.measured === null || Number.isNaN(t.measured)) return { ...t, met: false, ratio: null };
  const met = t.better === 'higher' ? t.measured >= t.target : t.measured <= t.target;
  const ratio = t.better === 'higher' ? t.measured / t.target : t.target / t.measured;
  return { ...t, met, ratio: Math.round(ratio * 100) / 100 };
}
