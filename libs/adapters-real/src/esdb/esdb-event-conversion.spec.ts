import { EVENT_TYPE, STREAM_NAME, type AllStreamRecordedEvent } from '@eventstore/db-client';
import type { NewEvent } from '@cds/application';
import {
  isSystemEvent,
  positionOf,
  toEsdbExpectedRevision,
  toEsdbPosition,
  toEventData,
  toLogPosition,
  toRecordedEvent,
} from './esdb-event-conversion';
import { acceptsEvent, effectiveFilter, subscriptionFilter } from './esdb-filter';

const recorded = (overrides: Partial<AllStreamRecordedEvent> = {}): AllStreamRecordedEvent =>
  ({
    streamId: 'profile-1',
    id: '5f0c6a48-8a3b-4d6e-9a43-0b7f1c1a2e3d',
    isJson: true,
    revision: 3n,
    type: 'TraitsSet',
    created: new Date('2026-01-02T03:04:05.678Z'),
    data: { traits: { name: 'Zoë' } },
    metadata: { schema_version: 1, tenant: 'acme' },
    position: { commit: 4096n, prepare: 4096n },
    ...overrides,
  }) as AllStreamRecordedEvent;

describe('toEsdbExpectedRevision', () => {
  it('maps the conditions to the client constants and revisions to bigints', () => {
    expect(toEsdbExpectedRevision('any')).toBe('any');
    expect(toEsdbExpectedRevision('no_stream')).toBe('no_stream');
    expect(toEsdbExpectedRevision('stream_exists')).toBe('stream_exists');
    expect(toEsdbExpectedRevision(0)).toBe(0n);
    expect(toEsdbExpectedRevision(17)).toBe(17n);
  });
});

describe('toEventData', () => {
  it('builds a JSON event that keeps the id, type, data and metadata', () => {
    const event: NewEvent = {
      id: '0d5b7c52-7a51-5a8e-9e0e-4b0b3f3a6f10',
      type: 'ProfileCreated',
      data: { profile_id: 'p1' },
      metadata: { schema_version: 2, tenant: 'acme', correlation_id: 'req-1' },
    };
    expect(toEventData(event)).toEqual({
      id: event.id,
      contentType: 'application/json',
      type: 'ProfileCreated',
      data: { profile_id: 'p1' },
      metadata: { schema_version: 2, tenant: 'acme', correlation_id: 'req-1' },
    });
  });
});

describe('positions', () => {
  it('names an event by commit = prepare = its log position', () => {
    expect(toEsdbPosition(4096)).toEqual({ commit: 4096n, prepare: 4096n });
    expect(toEsdbPosition(0)).toEqual({ commit: 0n, prepare: 0n });
  });

  it('reads the commit position as a number, refusing what a number cannot hold exactly', () => {
    expect(toLogPosition({ commit: 123n, prepare: 123n })).toBe(123);
    expect(toLogPosition({ commit: BigInt(Number.MAX_SAFE_INTEGER), prepare: 0n })).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toLogPosition({ commit: 2n ** 64n - 1n, prepare: 0n })).toThrow(RangeError);
  });

  it('says which server version is needed when an event comes without a position', () => {
    expect(() => positionOf(recorded({ position: undefined }))).toThrow(/22\.6 or later/);
    const none = 2n ** 64n - 1n;
    expect(() => positionOf(recorded({ position: { commit: none, prepare: none } }))).toThrow(/22\.6 or later/);
  });
});

describe('toRecordedEvent', () => {
  it('converts revision, position and creation time', () => {
    expect(toRecordedEvent(recorded())).toStrictEqual({
      id: '5f0c6a48-8a3b-4d6e-9a43-0b7f1c1a2e3d',
      streamId: 'profile-1',
      revision: 3,
      position: 4096,
      type: 'TraitsSet',
      data: { traits: { name: 'Zoë' } },
      metadata: { schema_version: 1, tenant: 'acme' },
      created: '2026-01-02T03:04:05.678Z',
    });
  });

  it('reads events other writers stored without JSON metadata with an empty metadata object', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const event = toRecordedEvent(recorded({ isJson: false, data: bytes, metadata: undefined } as never));
    expect(event.metadata).toEqual({});
    expect(event.data).toBe(bytes);
    expect(toRecordedEvent(recorded({ metadata: new Uint8Array([9]) })).metadata).toEqual({});
  });
});

describe('isSystemEvent', () => {
  it('holds for $-prefixed streams and types', () => {
    expect(isSystemEvent({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' })).toBe(true);
    expect(isSystemEvent({ streamId: '$$profile-1', type: '$metadata' })).toBe(true);
    expect(isSystemEvent({ streamId: 'profile-1', type: '$>' })).toBe(true);
    expect(isSystemEvent({ streamId: 'profile-1', type: 'TraitsSet' })).toBe(false);
  });
});

describe('filters', () => {
  const event = (streamId: string, type: string) => ({ streamId, type });

  it('treats absent and empty lists as no restriction, but never accepts system events', () => {
    for (const filter of [undefined, {}, { streamPrefixes: [], eventTypes: [] }]) {
      expect(acceptsEvent(effectiveFilter(filter), event('profile-1', 'A'))).toBe(true);
      expect(acceptsEvent(effectiveFilter(filter), event('$stats-x', '$statsCollected'))).toBe(false);
    }
  });

  it('matches stream prefixes and exact event types, both when both are given', () => {
    const filter = effectiveFilter({ streamPrefixes: ['profile-', 'claim-'], eventTypes: ['A', 'B'] });
    expect(acceptsEvent(filter, event('profile-1', 'A'))).toBe(true);
    expect(acceptsEvent(filter, event('claim-9', 'B'))).toBe(true);
    expect(acceptsEvent(filter, event('other-1', 'A'))).toBe(false);
    expect(acceptsEvent(filter, event('profile-1', 'AB'))).toBe(false);
  });

  it('asks the server for stream prefixes first, else type prefixes, else no system events', () => {
    expect(subscriptionFilter(effectiveFilter({ streamPrefixes: ['p-'], eventTypes: ['A'] }))).toMatchObject({
      filterOn: STREAM_NAME,
      prefixes: ['p-'],
    });
    expect(subscriptionFilter(effectiveFilter({ eventTypes: ['A', 'B'] }))).toMatchObject({
      filterOn: EVENT_TYPE,
      prefixes: ['A', 'B'],
    });
    expect(subscriptionFilter(effectiveFilter(undefined))).toMatchObject({ filterOn: EVENT_TYPE, regex: '^[^$].*' });
  });
});
