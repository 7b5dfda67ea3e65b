import { createServer } from 'node:http';
import { ProfileProjector } from '@cds/application';
import { ConfigError, LIVE_CHECKPOINT, loadConfig, openAdapters } from '@cds/runtime';

/**
 * The projector on its own (production mode): folds the log into the MongoDB read model from
 * its checkpoint, and answers liveness and readiness on CDS_PORT.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.readModel.kind !== 'mongo') {
    throw new ConfigError('the projector app writes a shared read model: set CDS_MONGO_URL');
  }
  const { eventStore, readModel } = await openAdapters(config);
  const projector = new ProfileProjector(eventStore, readModel, {
    name: LIVE_CHECKPOINT,
    batchSize: Number(process.env.CDS_PROJECTOR_BATCH_SIZE ?? 1000),
    idleFlushMs: 5,
    onError: (error, event) =>
      log('error', `${event ? `${event.streamId}@${event.revision}: ` : ''}${(error as Error)?.message ?? String(error)}`),
  });
  await projector.start();

  const server = createServer(async (req, res) => {
    const status = projector.getStatus();
    if (req.url === '/health/live') return reply(res, 200, { status: 'ok' });
    if (req.url === '/health/ready') {
      const head = await eventStore.headPosition().catch(() => null);
      return reply(res, status.running ? 200 : 503, { status: status.running ? 'ok' : 'stopped', log_head: head, projector: status });
    }
    return reply(res, 404, { code: 'not_found', message: 'GET /health/live or /health/ready' });
  });
  server.listen(config.port, config.host, () => log('info', `projector ${LIVE_CHECKPOINT} running; health on ${config.host}:${config.port}`));

  const shutdown = async () => {
    server.close();
    await projector.stop();
    await eventStore.close();
    await readModel.close();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

function reply(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function log(level: 'info' | 'error', message: string): void {
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), context: 'Projector', message })}\n`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
