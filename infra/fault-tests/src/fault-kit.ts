/**
 * What every fault test needs: a load written through the real command side (with a `sum`
 * attribute, so a lost or doubled write shows in the totals), the digest of a fresh rebuild to
 * compare with, a wait, and the recovery time printed and recorded.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Db } from 'mongodb';
import {
  createProfile,
  digestReadModel,
  EventStore,
  patchProfile,
  ProfileProjector,
  ProfileStreams,
  ReadModelDigest,
  SchemaService,
  systemClock,
} from '@cds/application';
import { MongoKeyStore, MongoProfileReadModel } from '@cds/adapters-real';
import { sharedLogKeys, sharedLogView } from '@cds/contract-tests';
import { parseAttributeWrites } from '@cds/domain';

export const LIVE_CHECKPOINT = 'unified-profiles';

export interface Load {
  tenant: string;
  /** Visits written to each profile: what its `sum` must read once everything is in. */
  visits: Map<string, number>;
}

/** Defines `traits.visits` (sum) in a fresh tenant and creates `profiles` profiles. */
export async function startLoad(store: EventStore, profiles: number): Promise<Load> {
  const tenant = `fault-${randomUUID().slice(0, 8)}`;
  const schema = new SchemaService(store);
  await schema.execute(
    tenant,
    { type: 'DefineAttributes', scope: 'traits', inputs: [{ attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }], attributeIds: [randomUUID()], at: new Date().toISOString() },
    randomUUID(),
  );
  const streams = new ProfileStreams(store);
  const visits = new Map<string, number>();
  for (let i = 0; i < profiles; i++) {
    const created = await createProfile(streams, systemClock, { tenant, trackingConsent: true, writes: [], correlationId: randomUUID() });
    visits.set(created.profile.state.profileId, 0);
  }
  return { tenant, visits };
}

/**
 * Writes `count` visits spread over the load's profiles, `concurrency` at a time. A write counts
 * once the log acknowledged it; one that failed is retried until it is acknowledged (the caller's
 * idempotency: the same command id), so the totals are exactly what the log holds.
 */
export async function writeVisits(store: EventStore, load: Load, count: number, concurrency = 8): Promise<void> {
  const schema = await new SchemaService(store).current(load.tenant);
  const streams = new ProfileStreams(store);
  const ids = [...load.visits.keys()];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const id = ids[next++ % ids.length];
      const writes = parseAttributeWrites(schema, { traits: { visits: 1 } });
      const idempotency = { idempotency_key: randomUUID(), request_fingerprint: `visit:${id}` };
      for (let attempt = 0; ; attempt++) {
        try {
          await patchProfile(streams, systemClock, { tenant: load.tenant, profileId: id, writes, source: 'http', idempotency, correlationId: randomUUID() });
          break;
        } catch (error) {
          if (attempt > 200) throw error;
          await sleep(50);
        }
      }
      load.visits.set(id, load.visits.get(id)! + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Every profile's document holds exactly the visits written to it. */
export async function readVisits(readModel: MongoProfileReadModel, load: Load): Promise<Map<string, number>> {
  const docs = await readModel.getMany(load.tenant, [...load.visits.keys()]);
  return new Map([...load.visits.keys()].map((id) => [id, Number(docs.get(id)?.state.attributes.traits.visits ?? 0)]));
}

/**
 * The log as the service reads it: personal data the apps sealed opened with the subjects' keys
 * (the test run's shared master key and key store, see sharedLogKeys).
 */
export async function openedLog(store: EventStore, mongoUrl: string): Promise<{ log: EventStore; close(): Promise<void> }> {
  const keyStore = await MongoKeyStore.open(mongoUrl, sharedLogKeys().CDS_MONGO_KEYS_DATABASE);
  return { log: sharedLogView(store, keyStore), close: () => keyStore.close() };
}

/** The digest of the tenant's profiles as a fresh rebuild from the log folds them, in a collection of its own. */
export async function freshRebuildDigest(store: EventStore, db: Db, tenant: string, partitions = 1): Promise<ReadModelDigest> {
  const suffix = randomUUID().slice(0, 8);
  const fresh = new MongoProfileReadModel(db, { collection: `fresh_${suffix}`, checkpointCollection: `fresh_cp_${suffix}` });
  await fresh.ensureIndexes();
  await new ProfileProjector(store, fresh, { name: 'fresh', batchSize: 1000, idleFlushMs: 0, partitions }).catchUp();
  const digest = await digestReadModel(fresh, { tenants: [tenant] });
  await fresh.profiles.drop();
  await fresh.checkpoints.drop();
  return digest;
}

/**
 * The head of the log, asked again while the client reconnects: after an UNAVAILABLE answer the
 * client drops its channel, and calls in flight fail once ("Channel closed before call started").
 */
export async function headOf(store: EventStore): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await store.headPosition()) ?? -1;
    } catch (error) {
      if (attempt >= 50) throw error;
      await sleep(100);
    }
  }
}

export async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 60_000, what = 'condition'): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await condition()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Prints the recovery time and appends it to test-artifacts/fault-recovery.jsonl. */
export function recordRecovery(fault: string, recoveredMs: number, details: Record<string, unknown> = {}): void {
  const line = { fault, recovered_ms: recoveredMs, ...details, at: new Date().toISOString() };
  process.stdout.write(`[fault] ${fault}: recovered in ${recoveredMs} ms ${JSON.stringify(details)}\n`);
  const dir = join(__dirname, '..', '..', '..', 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, 'fault-recovery.jsonl'), `${JSON.stringify(line)}\n`);
}
