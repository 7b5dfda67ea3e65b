/**
 * The event log port. Implemented by the embedded file log and by EventStoreDB; the shared
 * contract suite holds both to the same behaviour.
 */

/** A point in the global log. Monotonic; EventStoreDB's commit position, the embedded log's ordinal. */
export type LogPosition = number;

/** The revision of the stream's last event the writer saw, or a condition on the stream. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface EventMetadata {
  schema_version: number;
  tenant: string;
  /** The request or message that caused the event. */
  correlation_id?: string;
  [key: string]: unknown;
}

export interface NewEvent {
  /** Deterministic per command, so a retried append is recognised as the same write. */
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export interface RecordedEvent {
  id: string;
  streamId: string;
  /** 0-based position of the event in its stream. */
  revision: number;
  position: LogPosition;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  /** ISO 8601, when the log stored it. */
  created: string;
}

export interface AppendResult {
  /** Revision of the last event appended (or of the stream's last event when nothing was appended). */
  nextRevision: number;
  position: LogPosition;
  /**
   * True when these events were written by this append; false when they were found stored already
   * (a retry of an append that landed) and nothing was written. Absent when the store cannot tell:
   * EventStoreDB answers a retry as it answered the first append.
   */
  written?: boolean;
}

export interface ReadStreamOptions {
  fromRevision?: number;
  maxCount?: number;
  direction?: 'forwards' | 'backwards';
}

/** Which events a read of the whole log returns. Empty lists mean no restriction. */
export interface LogFilter {
  streamPrefixes?: string[];
  eventTypes?: string[];
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Absent: from the start. */
  after?: LogPosition;
  maxCount: number;
  filter?: LogFilter;
}

export interface SubscribeOptions {
  after?: LogPosition;
  filter?: LogFilter;
}

/** Catch-up then live, in log order, until closed. */
export interface LogSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Missing streams read as an empty list. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): LogSubscription;
  /** Position of the last event in the log, or null when the log is empty. */
  headPosition(): Promise<LogPosition | null>;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, or 'no_stream'. */
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** The log cannot be reached or refused for reasons that are not the caller's fault. */
export class EventStoreUnavailableError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'EventStoreUnavailableError';
  }
}

export const EVENT_STORE = Symbol('EventStore');
