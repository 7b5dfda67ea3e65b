/** A command line the tool cannot make sense of: exit code 2, with the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  /** Takes a value (`--out file`, `--out=file`); otherwise a switch (`--json`, `--no-switch`). */
  value?: boolean;
  /** May be given more than once (values are collected). */
  repeat?: boolean;
}

export interface ParsedArgs {
  command: string | null;
  options: Map<string, string[]>;
  flags: Set<string>;
}

/**
 * `cds <command> [--switch] [--option value | --option=value]...`. Unknown options, missing
 * values, repeated single options and stray words are usage errors.
 */
export function parseArgs(argv: string[], specs: Record<string, OptionSpec>): ParsedArgs {
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  let command: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') {
      flags.add('help');
      continue;
    }
    if (!arg.startsWith('--')) {
      if (command !== null) throw new UsageError(`unexpected argument "${arg}"`);
      command = arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = specs[name];
    if (spec === undefined) throw new UsageError(`unknown option --${name}`);
    if (!spec.value) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      i += 1;
    }
    const values = options.get(name) ?? [];
    if (values.length > 0 && !spec.repeat) throw new UsageError(`--${name} is given more than once`);
    values.push(value);
    options.set(name, values);
  }
  return { command, options, flags };
}

export function single(args: ParsedArgs, name: string): string | undefined {
  return args.options.get(name)?.[0];
}

export function wholeNumber(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const raw = single(args, name);
  if (raw === undefined) return undefined;
  if (!/^\d{1,16}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`--${name} is a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}
