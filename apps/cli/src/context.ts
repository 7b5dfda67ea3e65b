import { CdsConfig } from '@cds/runtime';
import { ParsedArgs } from './args';
import { Progress, ProgressStream } from './progress';
import { Target } from './target';

export interface OutputStream {
  write(text: string, callback?: (error?: Error | null) => void): boolean;
  once?(event: 'drain', listener: () => void): unknown;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: ProgressStream;
  env: Record<string, string | undefined>;
}

export interface CommandContext {
  args: ParsedArgs;
  io: CliIo;
  config: CdsConfig;
  /** Opens where the command works (once); commands check their options first. */
  target(): Promise<Target>;
  json: boolean;
  quiet: boolean;
  signal: AbortSignal;
}

export function progressFor(ctx: CommandContext, label: string): Progress {
  return new Progress(ctx.io.stderr, label, { enabled: !ctx.quiet });
}

/** The command's result: one JSON document with --json, else the human lines. */
export function printResult(ctx: CommandContext, result: unknown, human: string[], to: 'stdout' | 'stderr' = 'stdout'): void {
  const stream = to === 'stdout' ? ctx.io.stdout : ctx.io.stderr;
  stream.write(ctx.json ? `${JSON.stringify(result, null, 2)}\n` : `${human.join('\n')}\n`);
}

/** Tells the user something on stderr, unless --quiet. */
export function note(ctx: CommandContext, message: string): void {
  if (!ctx.quiet) ctx.io.stderr.write(`${message}\n`);
}

/** Writes with backpressure: waits for the stream to drain when its buffer is full. */
export async function writeLine(stream: OutputStream, text: string): Promise<void> {
  if (!stream.write(text) && stream.once) await new Promise<void>((resolve) => stream.once!('drain', resolve));
}

export const number = (n: number | null | undefined): string => (n === null || n === undefined ? '-' : n.toLocaleString('en-US'));
