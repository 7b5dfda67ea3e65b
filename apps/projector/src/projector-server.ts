import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { EventStore, LogPosition, ProfileProjector, projectorProblems } from '@cds/application';
import { ProjectorMetrics, UnificationHost } from '@cds/runtime';

/** The projector app's metrics: its own registry, the process and the projector. */
export class ProjectorAppMetrics {
  readonly registry = new Registry();
  readonly projector = new ProjectorMetrics(this.registry);

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  async render(): Promise<string> {
    await this.projector.refresh();
    return this.registry.metrics();
  }
}

export interface Readiness {
  status: 'ok' | 'unavailable';
  log_head: LogPosition | null;
  projector: Record<string, unknown>;
  /** The unifier partitions this process holds by lease, and its unifiers running. */
  unifier: { leases: unknown; running: unknown } | null;
  problems?: string[];
}

/**
 * Ready while the log answers and the projector holds partitions or stands by for them; not
 * ready when it halted, stopped, keeps failing or cannot reach its leases.
 */
export async function readiness(projector: ProfileProjector, eventStore: EventStore, unification?: UnificationHost): Promise<Readiness> {
  const problems: string[] = [];
  let head: LogPosition | null = null;
  try {
    head = await eventStore.headPosition();
  } catch (error) {
    problems.push(`event store: ${error instanceof Error ? error.message : String(error)}`);
  }
  const status = projector.getStatus();
  problems.push(...projectorProblems(status));
  const projectorStatus = { ...status } as Record<string, unknown>;
  const leases = unification?.keeper?.status();
  if (leases?.lastError) problems.push(`unifier leases: ${leases.lastError}`);
  const unifier = unification ? { leases: leases ?? null, running: unification.partitions.status() } : null;
  return problems.length === 0
    ? { status: 'ok', log_head: head, projector: projectorStatus, unifier }
    : { status: 'unavailable', log_head: head, projector: projectorStatus, unifier, problems };
}

/** `/health/live`, `/health/ready` (503 when not ready) and `/metrics` (Prometheus text format 0.0.4). */
export function createProjectorServer(projector: ProfileProjector, eventStore: EventStore, metrics: ProjectorAppMetrics, unification?: UnificationHost): Server {
  return createServer((req, res) => {
    void answer(req, res).catch(() => {
      if (!res.headersSent) json(res, 500, { code: 'internal_error', message: 'The health server failed to answer' });
    });
  });

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://projector').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return json(res, 405, { code: 'method_not_allowed', message: 'Only GET is served here' });
    }
    if (path === '/health/live') return json(res, 200, { status: 'ok' });
    if (path === '/health/ready') {
      const ready = await readiness(projector, eventStore, unification);
      return json(res, ready.status === 'ok' ? 200 : 503, ready);
    }
    if (path === '/metrics') {
      const body = await metrics.render();
      res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' }).end(body);
      return;
    }
    return json(res, 404, { code: 'not_found', message: 'GET /health/live, /health/ready or /metrics' });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}
