/**
 * CLI: starts the emulator and prints its connection string on stdout.
 *   node dist/infra/esdb-emulator/src/main.js [--port 2113]
 * The port can also come from ESDB_EMULATOR_PORT; 0 or nothing picks a free port.
 * Stops on SIGINT/SIGTERM, and with --exit-on-stdin-close also when stdin ends: a parent that
 * keeps a pipe to our stdin then never leaves an orphaned emulator behind, even if it is killed.
 */
import { startEsdbEmulator } from './server';

function portFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  const flag = argv.findIndex((arg) => arg === '--port' || arg.startsWith('--port='));
  const raw =
    flag < 0 ? env.ESDB_EMULATOR_PORT : argv[flag].includes('=') ? argv[flag].split('=')[1] : argv[flag + 1];
  const port = Number(raw ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid port: ${raw}`);
  }
  return port;
}

async function main(): Promise<void> {
  const emulator = await startEsdbEmulator({ port: portFromArgs(process.argv.slice(2), process.env) });
  process.stdout.write(`${emulator.url}\n`);
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
