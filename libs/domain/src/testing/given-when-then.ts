import { AssertionError, deepStrictEqual } from 'node:assert/strict';
import { decideProfile, ProfileCommand } from '../profile/decide-profile';
import { foldProfile } from '../profile/evolve-profile';
import { ProfileEvent } from '../profile/profile-events';
import { ProfileState } from '../profile/profile-state';
import { decideSchema, SchemaCommand } from '../schema/schema-decider';
import { SchemaEvent } from '../schema/schema-events';
import { emptySchema, evolveSchema, SchemaState } from '../schema/schema-state';
import { DomainError } from '../shared/errors';

/**
 * Test helper for deciders: given(past events).when(command).then(new events) | .thenThrows(code).
 * Built on node:assert, so it needs no test-runner globals. Never return when()'s result from a
 * test: an object with a `then` method looks like a promise.
 */

/** Freezes a value and all it holds, so a decider or fold that mutates its input throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

const scenarioFor = <C, S, E>(decide: (command: C, state: S) => E[], fold: (events: E[]) => S) =>
  (history: E[] = []) => ({
    when: (command: C) => {
      const decideNow = () => decide(deepFreeze(command), fold(deepFreeze(history)));
      return {
        then(expected: E[]): E[] {
          const actual = decideNow();
          deepStrictEqual(actual, expected);
          return actual;
        },
        thenThrows(code: string): DomainError {
          let decided: E[];
          try {
            decided = decideNow();
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            if (error.code === code) return error;
            throw new AssertionError({ message: `expected ${code} but was refused with ${error.code}` });
          }
          throw new AssertionError({ message: `expected ${code} but decided ${JSON.stringify(decided)}` });
        },
      };
    },
  });

export const given = scenarioFor<ProfileCommand, ProfileState, ProfileEvent>(decideProfile, (events) => foldProfile(events));
export const givenSchema = scenarioFor<SchemaCommand, SchemaState, SchemaEvent>(decideSchema, (events) =>
  events.reduce(evolveSchema, emptySchema),
);
