import { ReadAllOptions, RecordedEvent } from '../ports/event-store.port';
import { InMemoryEventStore } from '../testing/in-memory-event-store';
import { PageReadAhead } from './page-read-ahead';

const event = (i: number) => ({ id: `e-${i}`, type: 'Noted', data: { i }, metadata: { tenant: 'acme', schema_version: 1 } });

describe('PageReadAhead', () => {
  async function logOf(events: number) {
    const log = new InMemoryEventStore();
    for (let i = 1; i <= events; i++) await log.append(`notes-acme.${i % 3}`, [event(i)], 'any');
    const reads: ReadAllOptions[] = [];
    const source = { readAll: (options: ReadAllOptions) => (reads.push(options), log.readAll(options)) };
    const opened: number[] = [];
    const pages = new PageReadAhead(source, async (page: RecordedEvent[]) => (opened.push(...page.map((e) => e.position)), page));
    return { log, pages, reads, opened };
  }

  async function readThrough(pages: PageReadAhead, size: number): Promise<number[]> {
    const positions: number[] = [];
    for (;;) {
      const page = await pages.readAll({ after: positions.at(-1), maxCount: size });
      positions.push(...page.map((e) => e.position));
      if (page.length < size) return positions;
    }
  }

  it('gives a reader going page by page every event once, in order, reading each next page ahead', async () => {
    const { pages, reads } = await logOf(95);
    expect(await readThrough(pages, 10)).toEqual(Array.from({ length: 95 }, (_, i) => i + 1));
    // Each page read once (ahead from the third on), but the last: it came back short, so it is read again when asked for.
    expect(reads.map((r) => r.after ?? 0)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 90]);
  });

  it('reads a page ahead only for a reader that continues where its last full page ended', async () => {
    const { pages, reads, opened } = await logOf(60);
    await pages.readAll({ maxCount: 10 });
    await pages.readAll({ after: 30, maxCount: 10 });
    expect(reads.map((r) => r.after ?? 0)).toEqual([0, 30]);
    await pages.readAll({ after: 40, maxCount: 10 });
    // Having handed out the page after 40, it reads and opens the one after 50 before it is asked for.
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads.map((r) => r.after ?? 0)).toEqual([0, 30, 40, 50]);
    expect(opened.filter((position) => position > 40)).toEqual(Array.from({ length: 20 }, (_, i) => 41 + i));
  });

  it('does not hand out a short page read ahead: what was appended since is seen', async () => {
    const { log, pages } = await logOf(25);
    await pages.readAll({ maxCount: 10 });
    await pages.readAll({ after: 10, maxCount: 10 });
    // The page after 20 was read ahead when it held 5 events; 10 more come before it is asked for.
    for (let i = 26; i <= 35; i++) await log.append('notes-acme.0', [event(i)], 'any');
    expect((await pages.readAll({ after: 20, maxCount: 10 })).map((e) => e.position)).toEqual(Array.from({ length: 10 }, (_, i) => 21 + i));
  });

  it('gives other reads what they ask for, whatever was read ahead', async () => {
    const { pages } = await logOf(40);
    await pages.readAll({ maxCount: 10 });
    await pages.readAll({ after: 10, maxCount: 10 });
    const filtered = await pages.readAll({ after: 20, maxCount: 10, filter: { streamPrefixes: ['notes-acme.1'] } });
    expect(filtered.map((e) => e.streamId)).toEqual(Array(7).fill('notes-acme.1'));
  });
});
