import { AssertionError, deepStrictEqual } from 'node:assert/strict';
import { SchemaState } from '../schema/schema-state';
import { DomainError } from '../shared/errors';
import { deepFreeze } from '../testing/given-when-then';
import { decideRules, RulesCommand } from './rules-decider';
import { RuleEvent } from './rules-events';
import { foldRules } from './rules-state';

/**
 * Test helper for the rules decider, like `givenSchema`, with the schema the rules are checked
 * against: givenRules(past rule events, schema).when(command).then(new events) | .thenThrows(code).
 * Never return when()'s result from a test: an object with a `then` method looks like a promise.
 */
export const givenRules = (history: RuleEvent[], schema: SchemaState) => ({
  when: (command: RulesCommand) => {
    const decideNow = () => decideRules(deepFreeze(command), foldRules(deepFreeze(history)), schema);
    return {
      then(expected: RuleEvent[]): RuleEvent[] {
        const actual = decideNow();
        deepStrictEqual(actual, expected);
        return actual;
      },
      thenThrows(code: string): DomainError {
        let decided: RuleEvent[];
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
