/** Where progress goes: stderr, a terminal or not. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressState {
  /** 0..1 when the total is known. */
  fraction: number | null;
  /** Work done so far, in `unit`s. */
  done: number;
  unit: string;
  /** Units per second. */
  rate: number | null;
  etaSeconds: number | null;
}

export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(abs >= 1e10 ? 0 : 1)}G`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(abs >= 1e7 ? 0 : 1)}M`;
  if (abs >= 1e3) return `${(n / 1e3).toFixed(abs >= 1e4 ? 0 : 1)}k`;
  return String(Math.round(n));
}

export function formatBar(fraction: number, width: number): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(clamped * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** `rebuild g2 [#####-----]  52.3%  1.2M events  310k events/s  ETA 0:04`, fitted to `columns`. */
export function renderProgress(label: string, state: ProgressState, columns = 80): string {
  const parts = [label];
  const tail: string[] = [];
  if (state.fraction !== null) tail.push(`${(Math.min(1, Math.max(0, state.fraction)) * 100).toFixed(1).padStart(5)}%`);
  tail.push(`${formatCount(state.done)} ${state.unit}`);
  if (state.rate !== null) tail.push(`${formatCount(state.rate)} ${state.unit}/s`);
  if (state.etaSeconds !== null) tail.push(`ETA ${formatDuration(state.etaSeconds)}`);
  const text = tail.join('  ');
  if (state.fraction !== null) {
    const width = Math.min(40, columns - label.length - text.length - 6);
    if (width >= 10) parts.push(formatBar(state.fraction, width));
  }
  parts.push(text);
  const line = parts.join(' ');
  return line.length > columns - 1 ? line.slice(0, columns - 1) : line;
}

/**
 * A progress line on stderr: redrawn in place on a terminal (at most 10 times a second), or
 * written as a plain line every few seconds when stderr is a file or a pipe.
 */
export class Progress {
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly label: string,
    private readonly options: { enabled: boolean; plainEveryMs?: number; now?: () => number } = { enabled: true },
  ) {}

  update(state: ProgressState, force = false): void {
    if (!this.options.enabled) return;
    const now = (this.options.now ?? Date.now)();
    const tty = this.stream.isTTY === true;
    const every = tty ? 100 : (this.options.plainEveryMs ?? 5000);
    if (!force && now - this.lastDraw < every) return;
    this.lastDraw = now;
    const line = renderProgress(this.label, state, tty ? (this.stream.columns ?? 80) : 200);
    if (tty) {
      this.stream.write(`\r${line}\x1b[K`);
      this.drawn = true;
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  /** Draws the final state and ends the line. */
  finish(state?: ProgressState): void {
    if (!this.options.enabled) return;
    if (state) this.update(state, true);
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
