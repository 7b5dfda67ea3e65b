import { ActiveReadModel, systemClock } from '@cds/application';
import { ConfigError, createLiveProjector, createUnificationHost, LIVE_CHECKPOINT, limitHeapGrowth, loadConfig, openAdapters } from '@cds/runtime';
import { createLog } from './projector-log';
import { createProjectorServer, ProjectorAppMetrics } from './projector-server';

/**
 * The projector on its own (production mode): folds the log into the MongoDB read model, for the
 * partitions it holds leases on (any number of instances share them), and answers liveness,
 * readiness and Prometheus scrapes on CDS_PORT.
 */
async function main(): Promise<void> {
  const log = createLog();
  limitHeapGrowth();
  const config = loadConfig();
  if (config.readModel.kind !== 'mongo') {
    throw new ConfigError('the projector app writes a shared read model: set CDS_MONGO_URL');
  }
  const { eventStore, readModel, leases, checkpoints, personalData } = await openAdapters(config);
  // It writes to the active read-model generation, and follows a rebuild's switch to a new one.
  const readers = readModel as ActiveReadModel;
  const metrics = new ProjectorAppMetrics();
  const projector = createLiveProjector(
    config.projection,
    // Batches are metered on their way to the read model.
    { eventStore, readers, readModel: metrics.projector.meterReadModel(readModel), leases },
    (error, event) => log('error', `${event ? `${event.streamId}@${event.revision}: ` : ''}${(error as Error)?.message ?? String(error)}`),
  );
  metrics.projector.bind(projector, eventStore);
  readers.follow(1000, (error) => log('error', `reading the active read-model generation: ${String(error)}`));
  await projector.start();

  // It takes a share of the unifier's partitions too, unless CDS_UNIFIER=external.
  const unification = createUnificationHost(config, {
    eventStore,
    checkpoints,
    context: { keys: personalData.keys, clock: systemClock },
    leases,
    onError: (error) => log('error', `unifier: ${(error as Error)?.message ?? String(error)}`),
  });
  await unification.keeper?.start();

  const server = createProjectorServer(projector, eventStore, metrics, unification);
  server.listen(config.port, config.host, () =>
    log(
      'log',
      `projector ${LIVE_CHECKPOINT} running (${config.projection.partitions} partition(s))${unification.keeper ? `, unifier taking part (${config.unifierPartitions} partition(s))` : ''}; health and metrics on ${config.host}:${config.port}`,
    ),
  );

  const shutdown = async () => {
    server.close();
    // Hands its partitions over: the other instances take them at once, not after the leases expire.
    await unification.keeper?.stop();
    await projector.stop();
    await eventStore.close();
    await readModel.close();
    await checkpoints.close?.();
    await personalData.store.close();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error) => {
  // A configuration or start-up problem: say what it is and exit non-zero, no stack noise.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
