import { LogFilter, LogPosition, RecordedEvent } from '../ports/event-store.port';
import { CheckpointUpdate } from '../ports/read-model.port';

/**
 * A projection as a value: which events it folds, into which document, and how. Pure: no I/O,
 * no clock. The processor that runs it owns reading the log, batching, checkpoints, leases,
 * events it cannot fold and metrics.
 */
export interface Projection<Doc> {
  /** Its checkpoints, dead letters and metrics go by this name. */
  name: string;
  /** Which part of the log a catch-up reads (following live, every event moves the checkpoints). */
  filter: LogFilter;
  /** The document an event folds into, or null for an event the projection has no use for. */
  documentId(event: RecordedEvent): string | null;
  /**
   * The document after the event, or undefined when the event changes nothing (a document that
   * holds it already: this is what makes replaying the log harmless). Throws for an event it
   * cannot read; the processor sets such an event aside or halts, as configured.
   */
  evolve(document: Doc | undefined, event: RecordedEvent): Doc | undefined;
}

/** Where a processor keeps a projection's documents and checkpoints. */
export interface ProjectionTarget<Doc> {
  /** Stored documents by id; missing ones are absent from the map. */
  load(documentIds: string[]): Promise<Map<string, Doc>>;
  /**
   * Writes the documents, each over an older one only, then moves the checkpoint by
   * compare-and-set (refused when another writer moved it, or holds a newer fencing token).
   */
  write(documents: Doc[], checkpoint: CheckpointUpdate): Promise<void>;
  checkpoint(name: string): Promise<LogPosition | null>;
  /** The storage generation written to: leases are taken per generation. */
  generation(): string;
}
