import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { NewEvent, RecordedEvent } from '@cds/application';
import { FileEventStore, INDEX_FILE_NAME, LOG_FILE_NAME } from '@cds/adapters-embedded';
import { BenchModule } from './bench-module';
import { elapsedMs, log, median, round } from './measure';
import { withRealisticLog } from './realistic-log';

const APPENDERS = 32;
const PAGE = 1000;
/** Rounds per engine, alternating, so both meet the same moments of a shared machine. */
const ROUNDS = 3;

interface EngineFigures {
  append_events_per_s: number;
  open_ms: number;
  read_events_per_s: number;
  mib: number;
}

/** The same appends as the service makes them: one event per append, 32 in flight, each durable before it resolves. */
async function appendAll(events: NewEvent[], streams: string[], append: (stream: string, event: NewEvent) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: APPENDERS }, async () => {
      while (next < events.length) {
        const i = next++;
        await append(streams[i], events[i]);
      }
    }),
  );
  return Math.round(events.length / (elapsedMs(start) / 1000));
}

/** Reads every event in pages and parses its payload, as a rebuild does. */
async function readAll(readPage: (after: number) => Promise<Array<Pick<RecordedEvent, 'position' | 'data' | 'metadata'>>>): Promise<number> {
  const start = process.hrtime.bigint();
  let events = 0;
  for (let after = 0; ; ) {
    const page = await readPage(after);
    if (page.length === 0) break;
    for (const event of page) if (event.data === undefined || event.metadata === undefined) throw new Error('no payload');
    events += page.length;
    after = page[page.length - 1].position;
  }
  return Math.round(events / (elapsedMs(start) / 1000));
}

async function ownLog(directory: string, events: NewEvent[], streams: string[]): Promise<EngineFigures> {
  const store = await FileEventStore.open({ directory });
  const append_events_per_s = await appendAll(events, streams, (stream, event) => store.append(stream, [event], 'any'));
  await store.close();
  const start = process.hrtime.bigint();
  const reopened = await FileEventStore.open({ directory });
  const open_ms = round(elapsedMs(start), 1);
  const read_events_per_s = await readAll((after) => reopened.readAll({ after, maxCount: PAGE }));
  await reopened.close();
  const mib = (statSync(join(directory, LOG_FILE_NAME)).size + statSync(join(directory, INDEX_FILE_NAME)).size) / 2 ** 20;
  return { append_events_per_s, open_ms, read_events_per_s, mib: round(mib, 1) };
}

/**
 * The log as a SQLite table, as it would be built: WAL with synchronous=FULL (every commit
 * durable), appends checked against the stream's last revision in the same transaction, and
 * the appends of one turn of the event loop committed together (the group commit the file log
 * does).
 */
async function sqliteLog(directory: string, events: NewEvent[], streams: string[]): Promise<EngineFigures> {
  const file = join(directory, 'events.db');
  const open = () => {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE IF NOT EXISTS events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL,
      id TEXT NOT NULL, created INTEGER NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, UNIQUE (stream, revision))`);
    return db;
  };
  const db = open();
  const last = db.prepare('SELECT max(revision) FROM events WHERE stream = ?').pluck();
  const insert = db.prepare('INSERT INTO events (stream, revision, type, id, created, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)');
  let queue: Array<{ stream: string; event: NewEvent; done: () => void }> = [];
  const commit = db.transaction((batch: typeof queue) => {
    for (const { stream, event } of batch) {
      const revision = ((last.get(stream) as number | null) ?? -1) + 1;
      insert.run(stream, revision, event.type, event.id, Date.now(), JSON.stringify(event.data), JSON.stringify(event.metadata));
    }
  });
  const append = (stream: string, event: NewEvent) =>
    new Promise<void>((done) => {
      queue.push({ stream, event, done });
      if (queue.length === 1) {
        setImmediate(() => {
          const batch = queue;
          queue = [];
          commit(batch);
          for (const item of batch) item.done();
        });
      }
    });
  const append_events_per_s = await appendAll(events, streams, append);
  db.close();
  const start = process.hrtime.bigint();
  const reopened = open();
  reopened.prepare('SELECT max(position) FROM events').pluck().get();
  const open_ms = round(elapsedMs(start), 1);
  const page = reopened.prepare('SELECT position, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT ?');
  const read_events_per_s = await readAll(async (after) =>
    (page.all(after, PAGE) as Array<{ position: number; data: string; metadata: string }>).map((row) => ({
      position: row.position,
      data: JSON.parse(row.data),
      metadata: JSON.parse(row.metadata),
    })),
  );
  reopened.close();
  return { append_events_per_s, open_ms, read_events_per_s, mib: round(statSync(file).size / 2 ** 20, 1) };
}

/**
 * Whether the log should be a SQLite table instead of its own file: the same events (the first
 * part of the realistic log) appended, reopened and read back by both, with the same durability.
 */
export const logEngines: BenchModule = {
  name: 'log_engines',
  async run(context) {
    const recorded = await withRealisticLog(context, async (source) => {
      const read: RecordedEvent[] = [];
      for (let after = 0; read.length < context.flags.engineEvents; ) {
        const page = await source.readAll({ after, maxCount: Math.min(5000, context.flags.engineEvents - read.length) });
        if (page.length === 0) break;
        read.push(...page);
        after = page[page.length - 1].position;
      }
      return read;
    });
    const events: NewEvent[] = recorded.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata }));
    const streams = recorded.map((e) => e.streamId);
    const directory = join(context.scratch, 'engines');
    const rounds: Record<string, EngineFigures[]> = { own_log: [], sqlite: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, engine] of [['own_log', ownLog], ['sqlite', sqliteLog]] as const) {
        log(`log engine ${name}, round ${round}/${ROUNDS}: ${events.length} appends, reopen, read back`);
        const engineDirectory = join(directory, name);
        mkdirSync(engineDirectory, { recursive: true });
        try {
          rounds[name].push(await engine(engineDirectory, events, streams));
        } finally {
          rmSync(engineDirectory, { recursive: true, force: true });
        }
      }
    }
    const medians = (runs: EngineFigures[]): EngineFigures => ({
      append_events_per_s: median(runs.map((r) => r.append_events_per_s)),
      open_ms: median(runs.map((r) => r.open_ms)),
      read_events_per_s: median(runs.map((r) => r.read_events_per_s)),
      mib: runs[0].mib,
    });
    const figures = { own_log: medians(rounds.own_log), sqlite: medians(rounds.sqlite), rounds };
    return { events: events.length, appenders: APPENDERS, ...figures };
  },
};
