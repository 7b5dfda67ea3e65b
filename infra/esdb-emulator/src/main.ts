/**
 * CLI: starts the emulator and prints its connection string on stdout (and, with
 * --control-port, a second line `control http://127.0.0.1:PORT` for the test-only fault controls).
 *   node dist/infra/esdb-emulator/src/main.js [--port 2113] [--control-port 0]
 * The port can also come from ESDB_EMULATOR_PORT; 0 or nothing picks a free port.
 * Stops on SIGINT/SIGTERM, and with --exit-on-stdin-close also when stdin ends: a parent that
 * keeps a pipe to our stdin then never leaves an orphaned emulator behind, even if it is killed.
 */
import { startEsdbEmulator } from './server';

function portFromArgs(argv: readonly string[], name: string, fallback: string | undefined): number | undefined {
  const flag = argv.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
  const raw = flag < 0 ? fallback : argv[flag].includes('=') ? argv[flag].split('=')[1] : argv[flag + 1];
  if (raw === undefined) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid port: ${raw}`);
  }
  return port;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const emulator = await startEsdbEmulator({
    port: portFromArgs(argv, '--port', process.env.ESDB_EMULATOR_PORT) ?? 0,
    controlPort: portFromArgs(argv, '--control-port', undefined),
  });
  process.stdout.write(`${emulator.url}\n`);
  if (emulator.controlUrl) process.stdout.write(`control ${emulator.controlUrl}\n`);
  const shutdown = () => void emulator.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  if (process.argv.includes('--exit-on-stdin-close')) {
    process.stdin.once('end', shutdown);
    process.stdin.resume();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`esdb-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
