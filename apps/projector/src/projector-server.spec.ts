import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { EventStore, ProfileProjector, ProjectorStatus } from '@cds/application';
import { createLog } from './projector-log';
import { createProjectorServer, ProjectorAppMetrics } from './projector-server';

describe('projector app HTTP server', () => {
  const status: ProjectorStatus = { name: 'unified-profiles', position: 5, eventsProjected: 5, batchesWritten: 1, lastError: null, running: true } as ProjectorStatus;
  const projector = { getStatus: () => ({ ...status }) } as unknown as ProfileProjector;
  const headPosition = jest.fn<Promise<number | null>, []>();
  const store = { headPosition, readAll: jest.fn().mockResolvedValue([]) } as unknown as EventStore;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const metrics = new ProjectorAppMetrics();
    metrics.projector.bind(projector, store);
    server = createProjectorServer(projector, store, metrics);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    headPosition.mockReset().mockResolvedValue(5);
    Object.assign(status, { running: true, lastError: null, failures: 0, standingBy: false });
  });

  it('is live and ready while the log answers and the projector runs', async () => {
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    const ready = await fetch(`${base}/health/ready?probe=1`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', log_head: 5, projector: { running: true } });
  });

  it('is not ready when the event store cannot answer', async () => {
    headPosition.mockRejectedValue(new Error('connection refused'));
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', problems: ['event store: connection refused'] });
  });

  it('is not ready once the projector stopped with an error', async () => {
    status.running = false;
    status.lastError = 'Error: checkpoint conflict';
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ problems: ['projector stopped: Error: checkpoint conflict'] });
  });

  it('is ready while it stands by for a partition another instance holds', async () => {
    Object.assign(status, { running: true, standingBy: true, partitions: { count: 1, held: [], positions: {} } });
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', projector: { standingBy: true } });
  });

  it('is not ready while it keeps failing, and says it retries', async () => {
    Object.assign(status, { running: true, failures: 3, lastError: 'MongoServerSelectionError: connection refused' });
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ problems: [expect.stringMatching(/failing \(3 attempt\(s\), retrying\): MongoServerSelectionError/)] });
  });

  it('serves Prometheus metrics', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('version=0.0.4');
    const text = await res.text();
    expect(text).toContain('cds_projector_position{projector="unified-profiles"} 5');
    expect(text).toContain('cds_projector_lag_events{projector="unified-profiles"} 0');
    expect(text).toContain('cds_log_head_position 5');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('answers anything else with 404 in the error shape', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_found' });
  });
});

describe('projector log', () => {
  it('writes JSON lines, or readable ones with CDS_LOG_FORMAT=pretty, from CDS_LOG_LEVEL up', () => {
    const lines: string[] = [];
    const log = createLog({ CDS_LOG_LEVEL: 'warn' }, (line) => void lines.push(line));
    log('log', 'hidden');
    log('error', 'shown', { position: 3 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toEqual({ level: 'error', time: expect.any(String), context: 'Projector', message: 'shown', position: 3 });
    const pretty: string[] = [];
    createLog({ CDS_LOG_FORMAT: 'pretty' }, (line) => void pretty.push(line))('log', 'hello');
    expect(pretty[0]).toMatch(/INFO\s+\[Projector\] hello\n$/);
    expect(() => createLog({ CDS_LOG_FORMAT: 'xml' })).toThrow(/CDS_LOG_FORMAT/);
  });
});
