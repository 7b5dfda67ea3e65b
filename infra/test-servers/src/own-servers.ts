/**
 * Servers of a test's own, for fault tests: restarting or faulting the servers that
 * run-with-servers shares with every other test file would break those. The jars come from the
 * same cache, so only the start costs time (MongoDB ~1 s, Kafka ~3-5 s, the emulator < 1 s).
 * Each one stops when its `stop()` is called, or with the test process (their stdin closes).
 */
import { startEsdb, type RunningEsdb } from './esdb';
import { installKafka, startKafka, type RunningKafka } from './kafka';
import { installMongo, startMongo, type RunningMongo } from './mongo';

export type { RunningEsdb, RunningKafka, RunningMongo };

/** A MongoDB wire server that can be restarted on its port, keeping its data. */
export async function startOwnMongo(): Promise<RunningMongo> {
  return startMongo(await installMongo());
}

/** A Kafka broker that can be restarted (controlled or killed) on its ports, keeping its data. */
export async function startOwnKafka(): Promise<RunningKafka> {
  return startKafka(await installKafka());
}

/** An EventStoreDB emulator with its fault controls (`controlUrl`). */
export function startOwnEsdb(): Promise<RunningEsdb> {
  return startEsdb();
}

/** The emulator's fault controls, from a test (see infra/esdb-emulator/README.md). */
export class EsdbFaultControl {
  constructor(private readonly controlUrl: string) {}

  /** Drops every open subscription now, or each after `afterEvents` more events. */
  dropSubscriptions(options: { reason?: 'unavailable' | 'consumer-too-slow'; afterEvents?: number } = {}): Promise<{ subscriptions: number }> {
    return this.post('/faults/drop-subscriptions', { reason: options.reason, after_events: options.afterEvents });
  }

  /** Refuses the next `count` appends (every one until cleared when absent). */
  refuseAppends(reason: 'not-ready' | 'too-busy' | 'commit-timeout', count?: number): Promise<unknown> {
    return this.post('/faults/refuse-appends', { reason, count });
  }

  delayAppends(ms: number): Promise<unknown> {
    return this.post('/faults/delay-appends', { ms });
  }

  clear(): Promise<unknown> {
    return this.post('/faults/clear', {});
  }

  async state(): Promise<{ openSubscriptions: number; droppedSubscriptions: number; refusedAppends: number }> {
    return (await fetch(`${this.controlUrl}/faults`)).json() as Promise<{ openSubscriptions: number; droppedSubscriptions: number; refusedAppends: number }>;
  }

  private async post<T>(path: string, body: Record<string, unknown>): Promise<T> {
    const res = await fetch(`${this.controlUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`emulator control ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}
