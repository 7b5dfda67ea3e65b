import { randomBytes } from 'node:crypto';
import { sharedLogKeys } from '@cds/contract-tests';

/** Addresses of the servers the integration runner started (see infra/test-servers). */
export function realServers() {
  const kafka = process.env.CDS_TEST_KAFKA_BROKERS;
  const mongo = process.env.CDS_TEST_MONGO_URL;
  const esdb = process.env.CDS_TEST_ESDB_URL;
  if (!kafka || !mongo || !esdb) {
    throw new Error('Integration specs run under the test-server runner: npm run test:int');
  }
  return { kafka, mongo, esdb };
}

/** A name no other spec of this run uses (topics, databases and groups are shared per run). */
export const unique = (label: string) => `${label}-${randomBytes(5).toString('hex')}`;

/** Environment for the service on the real MongoDB read model (projector in this process). */
export function mongoReadModelEnv(): Record<string, string> {
  return {
    CDS_MONGO_URL: realServers().mongo,
    CDS_MONGO_DATABASE: unique('cds').replace(/-/g, '_'),
    CDS_PROJECTOR: 'in-process',
  };
}

/**
 * The real stack: EventStoreDB (emulator) as the log and MongoDB as the read model. The log is
 * shared by every spec of the run, so the service's unifier keeps to the spec's own tenants, and
 * every process on it unwraps with one master key from one key store, as in production.
 */
export function realStackEnv(tenants: string[]): Record<string, string> {
  return { ...mongoReadModelEnv(), ...sharedLogKeys(), CDS_EVENTSTORE_URL: realServers().esdb, CDS_UNIFIER_TENANTS: tenants.join(',') };
}
