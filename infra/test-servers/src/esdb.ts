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
  const compiled = join(__dirname, '..', '..', 'esdb-emulator', 'src', 'main.js');
  // Run from sources (a test importing the helpers): the build's copy.
  const main = existsSync(compiled) ? compiled : join(__dirname, '..', '..', '..', 'dist', 'infra', 'esdb-emulator', 'src', 'main.js');
  if (!existsSync(main)) {
    throw new Error(`${main} not found: run the compiled runner (npm run build) rather than its sources.`);
  }
  return main;
}

export interface RunningEsdb extends RunningServer {
  readonly url: string;
  /** The emulator's test-only fault controls over HTTP (see infra/esdb-emulator/README.md). */
  readonly controlUrl: string;
}

export async function startEsdb(signal?: AbortSignal): Promise<RunningEsdb> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [emulatorMain(), '--port', '0', '--control-port', '0', '--exit-on-stdin-close'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    signal,
  });
  child.on('error', () => undefined); // reported through its exit below
  const stop = once(() => stopChild(child, STOP_GRACE_MS));

  try {
    // Two lines: the connection string, then `control <url>`.
    const [url, control] = await new Promise<[string, string]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('esdb emulator: no URL printed in time')), READY_TIMEOUT_MS);
      const printed: string[] = [];
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        printed.push(line.trim());
        if (printed.length < 2) return;
        clearTimeout(timer);
        lines.close();
        resolve([printed[0], printed[1].replace(/^control /, '')]);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`esdb emulator exited with ${code}`));
      });
    });
    progress(`esdb emulator up on ${url.replace(/^esdb:\/\/|\?.*$/g, '')} in ${secondsSince(startedAt)}`);
    return { name: 'esdb', env: { [TEST_SERVER_ENV.esdbUrl]: url, [TEST_SERVER_ENV.esdbControlUrl]: control }, url, controlUrl: control, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
