import { formatBar, formatCount, formatDuration, Progress, renderProgress } from './progress';

describe('progress', () => {
  it('formats durations, counts and bars', () => {
    expect(formatDuration(4.4)).toBe('0:04');
    expect(formatDuration(62)).toBe('1:02');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234)).toBe('1.2k');
    expect(formatCount(310_000)).toBe('310k');
    expect(formatCount(1_250_000)).toBe('1.3M');
    expect(formatBar(0.5, 10)).toBe('[#####-----]');
    expect(formatBar(2, 4)).toBe('[####]');
  });

  it('renders a line with bar, percentage, rate and ETA that fits the terminal', () => {
    const line = renderProgress('rebuild', { fraction: 0.523, done: 1_200_000, unit: 'events', rate: 310_000, etaSeconds: 4 }, 100);
    expect(line).toMatch(/^rebuild \[#+-+\]  52\.3%  1\.2M events  310k events\/s  ETA 0:04$/);
    expect(renderProgress('x', { fraction: 0.5, done: 1, unit: 'events', rate: null, etaSeconds: null }, 30).length).toBeLessThan(30);
    expect(renderProgress('digest', { fraction: null, done: 42, unit: 'documents', rate: null, etaSeconds: null })).toBe('digest 42 documents');
  });

  it('redraws in place on a terminal, at most ten times a second, and ends the line', () => {
    const written: string[] = [];
    let now = 0;
    const progress = new Progress({ write: (t: string) => written.push(t), isTTY: true, columns: 80 }, 'job', { enabled: true, now: () => now });
    const state = { fraction: 0.1, done: 1, unit: 'events', rate: null, etaSeconds: null };
    progress.update(state);
    now = 50;
    progress.update(state);
    now = 150;
    progress.update({ ...state, fraction: 0.2 });
    progress.finish();
    expect(written).toHaveLength(3);
    expect(written[0].startsWith('\r')).toBe(true);
    expect(written[1]).toContain('20.0%');
    expect(written[2]).toBe('\n');
  });

  it('writes plain lines now and then when stderr is not a terminal, and nothing when disabled', () => {
    const written: string[] = [];
    let now = 0;
    const plain = new Progress({ write: (t: string) => written.push(t) }, 'job', { enabled: true, plainEveryMs: 1000, now: () => now });
    const state = { fraction: null, done: 5, unit: 'profiles', rate: null, etaSeconds: null };
    plain.update(state);
    now = 500;
    plain.update(state);
    now = 1500;
    plain.update(state);
    plain.finish();
    expect(written).toEqual(['job 5 profiles\n', 'job 5 profiles\n']);

    const quiet: string[] = [];
    const off = new Progress({ write: (t: string) => quiet.push(t), isTTY: true }, 'job', { enabled: false });
    off.update(state, true);
    off.finish(state);
    expect(quiet).toEqual([]);
  });
});
