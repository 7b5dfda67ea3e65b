import { limitHeapGrowth } from '@cds/runtime';
import { EXIT, runCli } from './cli';

/** `cds`: the operators' and analysts' tool (see `cds --help`). */
async function main(): Promise<void> {
  try {
    // A rebuild keeps pages alive across reads and openings, as the service keeps requests across fsyncs.
    limitHeapGrowth();
  } catch (error) {
    process.stderr.write(`cds: ${(error as Error).message}\n`);
    process.exit(EXIT.usage);
  }
  const abort = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    // First signal: stop at the next batch (a rebuild keeps its checkpoint). Second: now.
    if (interrupted) process.exit(1);
    interrupted = true;
    process.stderr.write('\ncds: stopping (a rebuild resumes from its checkpoint next time)\n');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }, abort.signal);
  // Flush stdout before leaving: it may be a pipe.
  process.stdout.write('', () => process.exit(code));
}

void main();
