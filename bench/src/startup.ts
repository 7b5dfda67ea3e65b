import { BenchModule } from './bench-module';
import { elapsedMs, log, median, round } from './measure';
import { realisticLogOf } from './realistic-log';
import { startService } from './service';

/**
 * Start-up of the embedded service on the realistic log: from spawning the process until it
 * answers ready with its read model holding the whole log. The first start folds the log into
 * an empty read model; the restarts after it resume from the read model's checkpoint, as a
 * service does every day.
 */
export const startUp: BenchModule = {
  name: 'start_up',
  async run(context) {
    const { data_dir: dataDir, events } = realisticLogOf(context);
    const timedStart = async (name: string) => {
      const start = process.hrtime.bigint();
      const service = await startService({ dataDir, name, untilCaughtUp: true });
      const seconds = round(elapsedMs(start) / 1000, 2);
      await service.stop();
      return seconds;
    };
    log(`first start on the ${events}-event log: folds it into an empty read model`);
    const first = await timedStart('service-first-start');
    const restarts: number[] = [];
    for (let i = 0; i < 3; i++) {
      log(`restart ${i + 1}/3 on the same data directory`);
      restarts.push(await timedStart('service-restart'));
    }
    return { events, first_start_s: first, restarts_s: restarts, restart_s: median(restarts) };
  },
  targets: (figures) => [{ name: 'start-up on the realistic log, to ready (restart)', measured: figures.restart_s as number, target: 3, better: 'lower', unit: 's' }],
};
