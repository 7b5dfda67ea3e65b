import { AssertionError, deepStrictEqual } from 'node:assert/strict';
import { DomainError } from '../shared/errors';
import { Decider, foldWith } from './decider';

/** Freezes a value and all it holds, so a decider or fold that mutates its input throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export interface DeciderThen<Event> {
  /** The command decided exactly these events. */
  then(expected: Event[]): Event[];
  /** The command was accepted and changed nothing. */
  thenNothingHappened(): void;
  /** The command was refused with this domain error code. */
  thenThrows(code: string): DomainError;
}

/**
 * given(past events).when(command).then(new events) | .thenNothingHappened() | .thenThrows(code),
 * for any decider. History and command are deep-frozen, so a decider that mutates them fails.
 * Built on node:assert, so it needs no test-runner globals. Never return when()'s result from a
 * test: an object with a `then` method looks like a promise.
 */
export const DeciderSpecification = {
  for<Command, Event, State>(decider: Decider<Command, Event, State>) {
    return (history: Event[] = []) => ({
      when(command: Command): DeciderThen<Event> {
        const decideNow = () => decider.decide(deepFreeze(command), foldWith(decider, deepFreeze(history)));
        return {
          then(expected: Event[]): Event[] {
            const actual = decideNow();
            deepStrictEqual(actual, expected);
            return actual;
          },
          thenNothingHappened(): void {
            const actual = decideNow();
            if (actual.length > 0) throw new AssertionError({ message: `expected no events but decided ${JSON.stringify(actual)}` });
          },
          thenThrows(code: string): DomainError {
            let decided: Event[];
            try {
              decided = decideNow();
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
              if (error.code === code) return error;
              throw new AssertionError({ message: `expected ${code} but was refused with ${error.code}: ${error.message}` });
            }
            throw new AssertionError({ message: `expected ${code} but decided ${JSON.stringify(decided)}` });
          },
        };
      },
    });
  },
};
