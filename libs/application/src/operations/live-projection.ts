import { ProfileProjector } from '../projection/profile-projector';
import { ActiveReadModel } from './active-read-model';

/**
 * Makes a live projector that writes through `readers` (the active generation) follow a switch:
 * it stops before readers move (its last batch lands in the old generation) and starts again
 * after, from the new generation's own checkpoint. A projector that was not running stays stopped.
 */
export function followGenerations(readers: ActiveReadModel, projector: ProfileProjector): void {
  let wasRunning = false;
  readers.onSwitch({
    before: async () => {
      wasRunning = projector.getStatus().running;
      await projector.stop();
    },
    after: async () => {
      if (wasRunning) await projector.start();
    },
  });
}
