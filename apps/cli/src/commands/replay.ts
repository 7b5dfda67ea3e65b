import { createWriteStream, WriteStream } from 'node:fs';
import { assertTenant, LogCut, parseLogCut, prepareReplay } from '@cds/application';
import { single } from '../args';
import { CommandContext, number, OutputStream, printResult, progressFor, writeLine } from '../context';
import { LocalTarget, RemoteTarget } from '../target';

const REPLAY_END = 'replay_end';

interface ReplayReport {
  as_of: string;
  position: number | null;
  streams: number;
  profiles: number;
  out: string | null;
  seconds: number;
}

/** `cds replay [--as-of <position|time>] [--out file.ndjson] [--tenant T]...` */
export async function replayCommand(ctx: CommandContext): Promise<number> {
  const asOf = single(ctx.args, 'as-of');
  const outPath = single(ctx.args, 'out');
  const tenants = (ctx.args.options.get('tenant') ?? []).map((t) => assertTenant(t));
  const cut: LogCut | undefined = asOf === undefined ? undefined : parseLogCut(asOf, '--as-of');
  const started = Date.now();
  const target = await ctx.target();

  const file: WriteStream | null = outPath ? createWriteStream(outPath, { flags: 'w' }) : null;
  const out: OutputStream = file ?? ctx.io.stdout;
  let result: { position: number | null; streams: number; profiles: number };
  try {
    result = target.kind === 'remote' ? await replayRemote(ctx, target, out, asOf, tenants) : await replayLocal(ctx, target, out, cut, tenants);
  } finally {
    if (file) await new Promise<void>((resolve, reject) => file.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
  const report: ReplayReport = {
    as_of: asOf ?? 'head',
    position: result.position,
    streams: result.streams,
    profiles: result.profiles,
    out: outPath ?? null,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  // Without --out, stdout carries the profiles: the summary goes to stderr.
  printResult(ctx, report, [
    `${number(report.profiles)} profiles as of ${report.as_of} (position ${number(report.position)}) from ${number(report.streams)} profile streams` +
      `${outPath ? ` written to ${outPath}` : ''} in ${report.seconds.toFixed(1)} s`,
  ], outPath ? 'stdout' : 'stderr');
  return 0;
}

async function replayLocal(ctx: CommandContext, target: LocalTarget, out: OutputStream, cut: LogCut | undefined, tenants: string[]) {
  const { store } = target;
  const head = await store.headPosition();
  const scanning = progressFor(ctx, 'collecting profile streams');
  const replay = await prepareReplay(store, cut ?? { kind: 'position', position: head ?? 0 }, {
    tenants,
    onScan: (position, streams) =>
      scanning.update({ fraction: head ? position / head : null, done: streams, unit: 'streams', rate: null, etaSeconds: null }),
  });
  scanning.finish();
  const progress = progressFor(ctx, 'replay');
  const started = Date.now();
  let profiles = 0;
  for await (const profile of replay.profiles((folded) => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? folded / seconds : null;
    progress.update({
      fraction: replay.streams > 0 ? folded / replay.streams : 1,
      done: folded,
      unit: 'streams',
      rate,
      etaSeconds: rate ? (replay.streams - folded) / rate : null,
    });
  })) {
    if (ctx.signal.aborted) throw new Error('Interrupted');
    profiles += 1;
    await writeLine(out, `${JSON.stringify(profile)}\n`);
  }
  progress.finish();
  return { position: replay.position, streams: replay.streams, profiles };
}

async function replayRemote(ctx: CommandContext, target: RemoteTarget, out: OutputStream, asOf: string | undefined, tenants: string[]) {
  const query = new URLSearchParams();
  if (asOf !== undefined) query.set('as_of', asOf);
  for (const tenant of tenants) query.append('tenant', tenant);
  const response = await target.client.stream(`/admin/replay${query.size > 0 ? `?${query}` : ''}`);
  const streams = Number(response.headers.get('cds-replay-streams') ?? 0);
  const progress = progressFor(ctx, 'replay');
  const started = Date.now();
  const decoder = new TextDecoder();
  let buffer = '';
  let profiles = 0;
  let end: { position: number | null; streams: number; profiles: number } | null = null;
  const handle = async (line: string) => {
    if (line === '') return;
    if (end !== null) throw new Error('The replay stream went on after its end line');
    if (line.startsWith(`{"${REPLAY_END}"`)) {
      end = (JSON.parse(line) as Record<string, typeof end>)[REPLAY_END];
      return;
    }
    profiles += 1;
    await writeLine(out, `${line}\n`);
    const seconds = (Date.now() - started) / 1000;
    progress.update({ fraction: null, done: profiles, unit: 'profiles', rate: seconds > 0 ? profiles / seconds : null, etaSeconds: null });
  };
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (ctx.signal.aborted) throw new Error('Interrupted');
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      await handle(line);
    }
  }
  await handle(buffer + decoder.decode());
  progress.finish();
  const complete = end as { position: number | null; streams: number; profiles: number } | null;
  if (complete === null || complete.profiles !== profiles) {
    throw new Error(`The replay stream from the service broke off after ${profiles} profiles (of ${streams} streams)`);
  }
  return { position: complete.position, streams: complete.streams, profiles };
}
