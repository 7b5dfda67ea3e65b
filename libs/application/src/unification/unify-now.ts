import { EventStore, LogPosition } from '../ports/event-store.port';
import { InMemoryCheckpoints } from '../testing/in-memory-checkpoints';
import { UnifierContext } from './unify-event';
import { Unifier } from './unifier';
import { WHOLE_LOG } from './unifier-partition';

/**
 * Runs a unifier for some tenants until it has carried out the log as it is now, then stops it:
 * for tools and tests that write a log and want it unified before they read it.
 */
export async function unifyNow(
  store: EventStore,
  context: UnifierContext,
  scope: { tenants: readonly string[]; after?: LogPosition | null },
): Promise<void> {
  const only = { name: `once-${scope.tenants.join('-')}`, tenants: scope.tenants, after: scope.after ?? undefined };
  const unifier = new Unifier(store, new InMemoryCheckpoints(), context, { partition: WHOLE_LOG, only });
  await unifier.start();
  try {
    const head = await store.headPosition();
    if (head !== null && !(await unifier.waitFor(head, 60_000))) throw new Error(`The unifier did not reach position ${head}: ${unifier.status().lastError ?? 'no error reported'}`);
  } finally {
    await unifier.stop();
  }
}
