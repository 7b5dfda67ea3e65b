import { DeadLetter, LogPosition, ProjectionDeadLetters } from '@cds/application';

/**
 * Dead letters of an in-process read model. They live as long as the read model does: the
 * embedded read model is folded afresh at every start, and meets the same events again.
 */
export class InMemoryProjectionDeadLetters implements ProjectionDeadLetters {
  private readonly letters = new Map<string, DeadLetter>();

  async record(letter: DeadLetter): Promise<void> {
    if (!this.letters.has(letter.event_id)) this.letters.set(letter.event_id, { ...letter });
  }

  async count(): Promise<number> {
    return this.letters.size;
  }

  async list(options: { after?: LogPosition; limit: number }): Promise<DeadLetter[]> {
    const after = options.after ?? -1;
    return this.sorted()
      .filter((letter) => letter.position > after)
      .slice(0, Math.max(0, options.limit))
      .map((letter) => ({ ...letter }));
  }

  async last(): Promise<DeadLetter | null> {
    const sorted = this.sorted();
    return sorted.length === 0 ? null : { ...sorted[sorted.length - 1] };
  }

  private sorted(): DeadLetter[] {
    return [...this.letters.values()].sort((a, b) => a.position - b.position);
  }
}
