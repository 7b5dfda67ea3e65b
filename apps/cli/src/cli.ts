import { DomainError } from '@cds/domain';
import { ConfigError, loadConfig } from '@cds/runtime';
import { OptionSpec, parseArgs, single, UsageError } from './args';
import { CliIo, CommandContext } from './context';
import { deadLettersCommand } from './commands/dead-letters';
import { digestCommand } from './commands/digest';
import { rebuildCommand } from './commands/rebuild';
import { replayCommand } from './commands/replay';
import { rewrapKeysCommand } from './commands/rewrap-keys';
import { statusCommand } from './commands/status';
import { openTarget, Target } from './target';

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export const USAGE = `Usage: cds <command> [options]

Operates the Customer Data Service's read model and log. Reads the service's environment
(CDS_DATA_DIR, CDS_PORT, CDS_EVENTSTORE_URL, CDS_MONGO_URL, CDS_MONGO_DATABASE, CDS_ADMIN_TOKEN,
CDS_MASTER_KEY).
With MongoDB it works on the log and the read model directly; on the embedded default it works
on a stopped data directory, or through the running service's admin endpoint.

Commands:
  rebuild        Rebuild the unified-profile read model from the start of the log into a fresh
                 generation while the live one serves, then switch readers once it caught up.
                 An interrupted rebuild resumes from its own checkpoint.
                   --fresh          discard an interrupted rebuild and start a new generation
                   --no-switch      build (or finish building) but leave the live generation active
                   --digest         digest the new generation before switching
                   --batch-size N   events per read-model write (default 1000)
  replay         Every unified profile as it was at a point of the log, as NDJSON.
                   --as-of P|TIME   a log position or an ISO 8601 time with a zone (default: head)
                   --out FILE       write the profiles to FILE (default: stdout)
                   --tenant T       only this tenant (repeatable)
  digest         Content digest of the live read model, in stable order.
                   --tenant T       only this tenant (repeatable)
                   --generation G   another generation than the active one
  status         Checkpoint, head of the log, lag, events/s, dead letters, last error.
                   --sample-ms N    watch the checkpoint this long to measure events/s (default 1000)
  dead-letters   Events the projector set aside.
                   --after P  --limit N  --generation G
  rewrap-keys    Re-wrap every subject's data key under the current master key (CDS_MASTER_KEY),
                 so the previous ones (CDS_MASTER_KEY_PREVIOUS) can be retired. Embedded: stop
                 the service first (it holds the key store).

Options:
  --json           print the result as JSON on stdout
  --quiet          no progress or notes on stderr
  --url URL        the service's admin endpoint (default http://127.0.0.1:$CDS_PORT; or CDS_ADMIN_URL)
  --token TOKEN    the admin token (default CDS_ADMIN_TOKEN, or admin.token in CDS_DATA_DIR)
  -h, --help       this help

Exit codes: 0 done, 1 failed, 2 usage or configuration error.
`;

const OPTIONS: Record<string, OptionSpec> = {
  json: {},
  quiet: {},
  help: {},
  url: { value: true },
  token: { value: true },
  fresh: {},
  'no-switch': {},
  digest: {},
  'batch-size': { value: true },
  'as-of': { value: true },
  out: { value: true },
  tenant: { value: true, repeat: true },
  generation: { value: true },
  'sample-ms': { value: true },
  after: { value: true },
  limit: { value: true },
};

const COMMANDS: Record<string, { run: (ctx: CommandContext) => Promise<number>; options: string[] }> = {
  rebuild: { run: rebuildCommand, options: ['fresh', 'no-switch', 'digest', 'batch-size'] },
  replay: { run: replayCommand, options: ['as-of', 'out', 'tenant'] },
  digest: { run: digestCommand, options: ['tenant', 'generation'] },
  status: { run: statusCommand, options: ['sample-ms'] },
  'dead-letters': { run: deadLettersCommand, options: ['after', 'limit', 'generation'] },
  'rewrap-keys': { run: rewrapKeysCommand, options: [] },
};
const GLOBAL = ['json', 'quiet', 'help', 'url', 'token'];

/** Runs one command line; resolves with the exit code. Never throws. */
export async function runCli(argv: string[], io: CliIo, signal: AbortSignal = new AbortController().signal): Promise<number> {
  try {
    const args = parseArgs(argv, OPTIONS);
    if (args.flags.has('help') || args.command === 'help') {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    if (args.command === null) throw new UsageError('no command given');
    const command = COMMANDS[args.command];
    if (command === undefined) throw new UsageError(`unknown command "${args.command}"`);
    const given = [...args.flags, ...args.options.keys()];
    const misplaced = given.filter((name) => !GLOBAL.includes(name) && !command.options.includes(name));
    if (misplaced.length > 0) throw new UsageError(`${args.command} takes no --${misplaced[0]}`);

    const config = loadConfig(io.env);
    const quiet = args.flags.has('quiet');
    let opened: Promise<Target> | undefined;
    const target = () =>
      (opened ??= openTarget(config, { url: single(args, 'url'), token: single(args, 'token'), env: io.env }).then((t) => {
        if (!quiet) io.stderr.write(`cds ${args.command}: ${t.description}\n`);
        return t;
      }));
    const ctx: CommandContext = { args, io, config, target, json: args.flags.has('json'), quiet, signal };
    try {
      return await command.run(ctx);
    } finally {
      const t = await opened?.catch(() => undefined);
      if (t?.kind === 'local') await t.close();
    }
  } catch (error) {
    return report(io, error);
  }
}

function report(io: CliIo, error: unknown): number {
  if (error instanceof UsageError) {
    io.stderr.write(`cds: ${error.message}\nRun cds --help for the commands and options.\n`);
    return EXIT.usage;
  }
  if (error instanceof ConfigError || (error instanceof DomainError && error.kind === 'validation')) {
    io.stderr.write(`cds: ${error.message}\n`);
    return EXIT.usage;
  }
  // AdminApiError, TargetError and every other failure: say what it is, no stack.
  io.stderr.write(`cds: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.failure;
}
