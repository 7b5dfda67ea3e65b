import { LogPosition } from '../ports/event-store.port';
import { stableHash } from './lease-keeper';

/**
 * Which partition of a partitioned projection an event's stream belongs to. Every event of a
 * stream lands in the same partition, so a single-stream document is written by one partition only.
 */
export function partitionOf(streamId: string, partitions: number): number {
  return partitions <= 1 ? 0 : stableHash(streamId) % partitions;
}

/**
 * The checkpoint of one partition. With one partition it is the projection's own name, so a
 * deployment that never partitioned keeps its checkpoint. Other counts have their own names: a
 * changed partition count starts its partitions from the beginning of the log, which only costs
 * time, since documents are written over older positions only.
 */
export function partitionCheckpoint(name: string, partition: number, partitions: number): string {
  return partitions <= 1 ? name : `${name}/${partition}of${partitions}`;
}

/** Every partition's checkpoint name, in partition order. */
export function partitionCheckpoints(name: string, partitions: number): string[] {
  return Array.from({ length: Math.max(1, partitions) }, (_, partition) => partitionCheckpoint(name, partition, partitions));
}

/** The lease group of a projection writing into one read-model generation. */
export const projectionLeaseGroup = (name: string, generation: string): string => `projection/${name}@${generation}`;

/** The lowest checkpoint among the partitions: every document holds the log up to there (null when one has none). */
export async function lowestCheckpoint(
  checkpointOf: (name: string) => Promise<LogPosition | null>,
  name: string,
  partitions: number,
): Promise<LogPosition | null> {
  const positions = await Promise.all(partitionCheckpoints(name, partitions).map(checkpointOf));
  return positions.includes(null) ? null : Math.min(...(positions as LogPosition[]));
}
