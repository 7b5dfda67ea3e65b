import { LogFilter, ReadAllOptions, RecordedEvent } from '../ports/event-store.port';

/** A page of the log as read, and as it will be handed out once opened. */
interface PageAhead {
  readonly options: ReadAllOptions;
  readonly read: Promise<RecordedEvent[]>;
  readonly opened: Promise<RecordedEvent[]>;
}

/**
 * Reads of the log whose payloads are opened before they are handed out. A reader going through
 * the log page by page (a rebuild, a catch-up) gets each next page read and opened ahead: once it
 * asks for the page that continues a full page it read, the page after every page it reads is
 * read at once, and opened (on the opening pool's thread) while the reader works on the one it
 * got. One page ahead at most. A reader that asks for anything else finds nothing ahead and reads
 * as usual, and a page read ahead is handed out only if it came back full: a short one may be out
 * of date by the time it is asked for.
 */
export class PageReadAhead {
  /** Where the last full page read continues. */
  private continuation?: ReadAllOptions;
  private ahead?: PageAhead;

  constructor(
    private readonly source: { readAll(options: ReadAllOptions): Promise<RecordedEvent[]> },
    private readonly open: (events: RecordedEvent[]) => Promise<RecordedEvent[]>,
  ) {}

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const sequential = this.continuation !== undefined && sameRead(this.continuation, options);
    const ahead = this.ahead;
    this.ahead = undefined;
    const early = ahead !== undefined && sameRead(ahead.options, options) ? await ahead.read.catch(() => undefined) : undefined;
    const useEarly = early !== undefined && early.length === options.maxCount;
    const events = useEarly ? early : await this.source.readAll(options);
    this.continuation = events.length > 0 && events.length === options.maxCount ? { ...options, after: events[events.length - 1].position } : undefined;
    if (sequential && this.continuation) this.readAhead(this.continuation);
    return useEarly ? ahead!.opened : this.open(events);
  }

  private readAhead(options: ReadAllOptions): void {
    const read = this.source.readAll(options);
    const opened = read.then((events) => this.open(events));
    // Failures surface when the page is asked for (it is then read again), or never.
    opened.catch(() => undefined);
    this.ahead = { options, read, opened };
  }
}

function sameRead(a: ReadAllOptions, b: ReadAllOptions): boolean {
  return a.after === b.after && a.maxCount === b.maxCount && sameFilter(a.filter, b.filter);
}

function sameFilter(a: LogFilter | undefined, b: LogFilter | undefined): boolean {
  const same = (x: string[] | undefined, y: string[] | undefined) => (x ?? []).join('\n') === (y ?? []).join('\n');
  return same(a?.streamPrefixes, b?.streamPrefixes) && same(a?.eventTypes, b?.eventTypes);
}
