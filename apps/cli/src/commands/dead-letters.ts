import { DeadLetter } from '@cds/application';
import { single, wholeNumber } from '../args';
import { CommandContext, printResult } from '../context';

interface DeadLetterReport {
  generation: string;
  count: number;
  dead_letters: DeadLetter[];
  next_after: number | null;
}

/** `cds dead-letters [--after P] [--limit N] [--generation G]` */
export async function deadLettersCommand(ctx: CommandContext): Promise<number> {
  const after = wholeNumber(ctx.args, 'after', 0, Number.MAX_SAFE_INTEGER);
  const limit = wholeNumber(ctx.args, 'limit', 1, 1000) ?? 100;
  const generation = single(ctx.args, 'generation');
  const target = await ctx.target();
  let report: DeadLetterReport;
  if (target.kind === 'remote') {
    const query = new URLSearchParams({ limit: String(limit) });
    if (after !== undefined) query.set('after', String(after));
    if (generation) query.set('generation', generation);
    report = await target.client.json<DeadLetterReport>('GET', `/admin/dead-letters?${query}`);
  } else {
    const handle = await target.generations.open(generation ?? (await target.generations.state()).active);
    const letters = await handle.deadLetters.list({ after, limit });
    report = {
      generation: handle.id,
      count: await handle.deadLetters.count(),
      dead_letters: letters,
      next_after: letters.length === limit ? letters[letters.length - 1].position : null,
    };
  }
  printResult(ctx, report, [
    `${report.count} dead letter(s) in generation ${report.generation}`,
    ...report.dead_letters.map((l) => `${l.position}  ${l.stream}@${l.revision}  ${l.type}  ${l.error}`),
  ]);
  return 0;
}
