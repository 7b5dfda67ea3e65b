import { DomainError } from '@cds/domain';
import { isWithinCut, parseLogCut } from './log-cut';

describe('parseLogCut', () => {
  it('reads a whole number as a log position', () => {
    expect(parseLogCut('0')).toEqual({ kind: 'position', position: 0 });
    expect(parseLogCut('1234')).toEqual({ kind: 'position', position: 1234 });
    expect(parseLogCut(' 42 ')).toEqual({ kind: 'position', position: 42 });
  });

  it('reads an ISO 8601 time with a zone, and a bare date as its start in UTC', () => {
    expect(parseLogCut('2026-01-31T12:00:00Z')).toEqual({ kind: 'time', time: '2026-01-31T12:00:00.000Z', epochMs: Date.UTC(2026, 0, 31, 12) });
    expect(parseLogCut('2026-01-31T13:00:00+01:00')).toMatchObject({ time: '2026-01-31T12:00:00.000Z' });
    expect(parseLogCut('2026-01-31T12:00Z')).toMatchObject({ time: '2026-01-31T12:00:00.000Z' });
    expect(parseLogCut('2026-01-31T12:00:00.123456Z')).toMatchObject({ time: '2026-01-31T12:00:00.123Z' });
    expect(parseLogCut('2026-01-31')).toMatchObject({ time: '2026-01-31T00:00:00.000Z' });
  });

  it.each([
    'yesterday',
    '',
    '-1',
    '1.5',
    '1e3',
    '12345678901234567',
    '2026-01-31T12:00:00',
    '2026-02-30',
    '2026-13-01T00:00:00Z',
    '2026-01-31T25:00:00Z',
    '2026-01-31T12:61:00Z',
    '31/01/2026',
  ])('rejects %p with a 400-kind error', (raw) => {
    let error: unknown;
    try {
      parseLogCut(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'validation', code: 'invalid_as_of' });
  });
});

describe('isWithinCut', () => {
  const event = (position: number, created: string) => ({ position, created });

  it('includes events at or before a position', () => {
    const cut = parseLogCut('10');
    expect(isWithinCut(cut, event(9, ''))).toBe(true);
    expect(isWithinCut(cut, event(10, ''))).toBe(true);
    expect(isWithinCut(cut, event(11, ''))).toBe(false);
  });

  it('includes events the log stored at or before a time', () => {
    const cut = parseLogCut('2026-01-31T12:00:00Z');
    expect(isWithinCut(cut, event(1, '2026-01-31T11:59:59.999Z'))).toBe(true);
    expect(isWithinCut(cut, event(2, '2026-01-31T12:00:00.000Z'))).toBe(true);
    expect(isWithinCut(cut, event(3, '2026-01-31T12:00:00.001Z'))).toBe(false);
    expect(isWithinCut(cut, event(4, ''))).toBe(false);
  });
});
