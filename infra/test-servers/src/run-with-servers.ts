/**
 * Runs a command with the test servers up:
 *
 *   node dist/infra/test-servers/src/run-with-servers.js npx jest --selectProjects int
 *
 * Starts Kafka, MongoDB and the EventStoreDB emulator (installing what is missing), exports
 * CDS_TEST_KAFKA_BROKERS, CDS_TEST_MONGO_URL and CDS_TEST_ESDB_URL to the command, runs it with
 * inherited stdio, stops every server afterwards (also on SIGINT/SIGTERM or when the command
 * fails) and exits with the command's exit code.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { progress } from './log';
import { startTestServers, type TestServers } from './servers';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

async function main(command: readonly string[]): Promise<number> {
  if (command.length === 0) {
    process.stderr.write('usage: run-with-servers <command> [args...]\n');
    return 2;
  }

  let interruptedBy: NodeJS.Signals | undefined;
  let forwardToChild: ((signal: NodeJS.Signals) => void) | undefined;
  const startup = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    interruptedBy ??= signal;
    if (forwardToChild) forwardToChild(signal);
    else startup.abort();
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);

  let servers: TestServers;
  try {
    servers = await startTestServers({ signal: startup.signal });
  } catch (error) {
    if (interruptedBy) {
      progress(`${interruptedBy} received while starting; servers stopped`);
      return exitCodeFor(interruptedBy);
    }
    progress(`could not start the test servers: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  if (interruptedBy) {
    await servers.stop();
    return exitCodeFor(interruptedBy);
  }

  try {
    return await new Promise<number>((resolve) => {
      const child = spawn(command[0], command.slice(1), {
        stdio: 'inherit',
        env: { ...process.env, ...servers.env },
      });
      forwardToChild = (signal) => child.kill(signal);
      child.on('error', (error) => {
        progress(`could not run ${command[0]}: ${error.message}`);
        resolve(127);
      });
      child.on('exit', (code, signal) => resolve(code ?? exitCodeFor(signal ?? 'SIGTERM')));
    });
  } finally {
    forwardToChild = undefined;
    await servers.stop();
  }
}

function exitCodeFor(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 15);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
