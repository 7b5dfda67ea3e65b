/**
 * EventStoreDB for tests: the in-memory gRPC emulator (infra/esdb-emulator), run as a child
 * process from its compiled CLI. (A separate project, so it is started, not imported.)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TEST_SERVER_ENV } from './env';
import { progress, secondsSince } from './log';
import { stopChild } from './processes';
import { once, type RunningServer } from './server';

const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 2_000;

/** dist/infra/esdb-emulator/src/main.js, next to this compiled file's project. */
function emulatorMain(): string {
  const main = join(__dirname, '..', '..', 'esdb-emulator', 'src', 'main.js');
  if (!existsSync(main)) {
    throw new Error(`${main} not found: run the compiled runner (npm run build) rather than its sources.`);
  }
  return main;
}

export async function startEsdb(signal?: AbortSignal): Promise<RunningServer> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [emulatorMain(), '--port', '0', '--exit-on-stdin-close'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    signal,
  });
  child.on('error', () => undefined); // reported through its exit below
  const stop = once(() => stopChild(child, STOP_GRACE_MS));

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('esdb emulator: no URL printed in time')), READY_TIMEOUT_MS);
      createInterface({ input: child.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        resolve(line.trim());
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`esdb emulator exited with ${code}`));
      });
    });
    progress(`esdb emulator up on ${url.replace(/^esdb:\/\/|\?.*$/g, '')} in ${secondsSince(startedAt)}`);
    return { name: 'esdb', env: { [TEST_SERVER_ENV.esdbUrl]: url }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
