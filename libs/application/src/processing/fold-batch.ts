import { RecordedEvent } from '../ports/event-store.port';
import { Projection, ProjectionTarget } from './projection';

/** An event on its way into a partition's document. */
export interface RoutedEvent {
  event: RecordedEvent;
  partition: number;
  documentId: string;
}

export interface FoldedBatch<Doc> {
  /** The documents the batch changed, by partition. */
  documents: Map<number, Map<string, Doc>>;
  /** Events that could not be folded, with why, in log order. */
  poisoned: Array<{ event: RecordedEvent; error: unknown }>;
  /** Halting: the index of the first event that could not be folded; the documents hold what came before. */
  haltedAt?: number;
}

/**
 * Folds a batch: reads the documents it touches (one load), evolves each with the projection, and
 * keeps the last version of each. Documents of a write still in flight (`unwritten`) are taken
 * from there, not read. An event that cannot be folded is noted and skipped, or, when halting,
 * ends the fold there.
 */
export async function foldBatch<Doc>(
  projection: Projection<Doc>,
  target: ProjectionTarget<Doc>,
  batch: RoutedEvent[],
  halt: boolean,
  unwritten: ReadonlyMap<string, Doc> = new Map(),
): Promise<FoldedBatch<Doc>> {
  const ids = [...new Set(batch.map((routed) => routed.documentId))];
  const loaded = await target.load(ids.filter((id) => !unwritten.has(id)));
  for (const id of ids) if (unwritten.has(id)) loaded.set(id, unwritten.get(id)!);
  const documents = new Map<number, Map<string, Doc>>();
  const poisoned: FoldedBatch<Doc>['poisoned'] = [];
  for (const [index, { event, partition, documentId }] of batch.entries()) {
    let changed = documents.get(partition);
    if (!changed) documents.set(partition, (changed = new Map()));
    try {
      const next = projection.evolve(changed.get(documentId) ?? loaded.get(documentId), event);
      if (next !== undefined) changed.set(documentId, next);
    } catch (error) {
      // One unreadable event must not stop every document's projection (unless told to halt).
      poisoned.push({ event, error });
      if (halt) return { documents, poisoned, haltedAt: index };
    }
  }
  return { documents, poisoned };
}
