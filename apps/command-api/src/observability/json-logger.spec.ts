import { JsonLogger, levelsFrom, logSettings } from './json-logger';

describe('JsonLogger', () => {
  const capture = (levels = levelsFrom('log')) => {
    const lines: string[] = [];
    return { logger: new JsonLogger(levels, (line) => void lines.push(line)), lines, entries: () => lines.map((l) => JSON.parse(l)) };
  };

  it('writes one JSON object per line with level, time, context and message', () => {
    const { logger, lines, entries } = capture();
    logger.log('started', 'NestApplication');
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(lines[0].trimEnd()).not.toContain('\n');
    expect(entries()[0]).toEqual({ level: 'info', time: expect.any(String), context: 'NestApplication', message: 'started' });
    expect(new Date(entries()[0].time).toISOString()).toBe(entries()[0].time);
  });

  it('puts an error stack in its own field and keeps the context last argument', () => {
    const { logger, entries } = capture();
    logger.error('boom', 'Error: boom\n    at x', 'HttpError');
    logger.error(new Error('kaput'), 'Projector');
    expect(entries()[0]).toMatchObject({ level: 'error', context: 'HttpError', message: 'boom', stack: 'Error: boom\n    at x' });
    expect(entries()[1]).toMatchObject({ level: 'error', context: 'Projector', message: 'kaput', stack: expect.stringContaining('kaput') });
  });

  it('spreads an object message into the line without letting it overwrite level, time or context', () => {
    const { logger, entries } = capture();
    logger.log({ message: 'GET /x 200', status: 200, route: '/x', level: 'fake', context: 'fake' }, 'HTTP');
    expect(entries()[0]).toEqual({ level: 'info', time: expect.any(String), context: 'HTTP', message: 'GET /x 200', status: 200, route: '/x' });
  });

  it('writes only the enabled levels, as Nest reads a level list', () => {
    const { logger, entries } = capture(['warn']);
    logger.debug('no');
    logger.log('no');
    logger.warn('yes');
    logger.error('yes');
    logger.fatal('yes');
    expect(entries().map((e) => e.level)).toEqual(['warn', 'error', 'fatal']);
    logger.setLogLevels(['verbose']);
    logger.verbose('now');
    expect(entries()).toHaveLength(4);
  });

  it('never throws on a value it cannot serialise', () => {
    const { logger, entries } = capture();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    logger.log('cyclic', cycle, 'Ctx');
    expect(entries()[0]).toMatchObject({ level: 'info', context: 'Ctx', message: 'cyclic' });
  });
});

describe('logSettings', () => {
  it('defaults to JSON lines from level log', () => {
    expect(logSettings({})).toEqual({ format: 'json', levels: ['log', 'warn', 'error', 'fatal'] });
  });
  it('reads CDS_LOG_FORMAT and CDS_LOG_LEVEL (info is log)', () => {
    expect(logSettings({ CDS_LOG_FORMAT: 'pretty', CDS_LOG_LEVEL: 'debug' })).toEqual({ format: 'pretty', levels: ['debug', 'log', 'warn', 'error', 'fatal'] });
    expect(logSettings({ CDS_LOG_LEVEL: 'INFO' }).levels).toEqual(['log', 'warn', 'error', 'fatal']);
  });
  it('refuses values it does not know', () => {
    expect(() => logSettings({ CDS_LOG_FORMAT: 'xml' })).toThrow(/CDS_LOG_FORMAT/);
    expect(() => logSettings({ CDS_LOG_LEVEL: 'loud' })).toThrow(/CDS_LOG_LEVEL/);
  });
});
