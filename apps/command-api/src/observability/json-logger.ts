import { LoggerService, LogLevel } from '@nestjs/common';

/** Most verbose first, as Nest orders them. */
const LEVELS: readonly LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/** Nest's `log` is what log collectors call `info`. */
const LINE_LEVEL: Record<LogLevel, string> = { verbose: 'verbose', debug: 'debug', log: 'info', warn: 'warn', error: 'error', fatal: 'fatal' };

export type LogFormat = 'json' | 'pretty';

export interface LogSettings {
  format: LogFormat;
  /** The least severe level written: `log` writes log, warn, error and fatal. */
  levels: LogLevel[];
}

/** CDS_LOG_FORMAT (json, the default, or pretty) and CDS_LOG_LEVEL (default log; info means log). */
export function logSettings(env: Record<string, string | undefined> = process.env): LogSettings {
  const format = (env.CDS_LOG_FORMAT?.trim() || 'json').toLowerCase();
  if (format !== 'json' && format !== 'pretty') throw new Error(`Configuration: CDS_LOG_FORMAT must be json or pretty, got "${format}"`);
  const raw = (env.CDS_LOG_LEVEL?.trim() || 'log').toLowerCase();
  const level = raw === 'info' ? 'log' : (raw as LogLevel);
  if (!LEVELS.includes(level)) throw new Error(`Configuration: CDS_LOG_LEVEL must be one of ${LEVELS.join(', ')}, got "${raw}"`);
  return { format, levels: levelsFrom(level) };
}

/** The level and every more severe one. */
export function levelsFrom(level: LogLevel): LogLevel[] {
  return LEVELS.slice(LEVELS.indexOf(level));
}

/**
 * One JSON object per line on stdout: `level`, `time`, `context`, `message`, and the fields of
 * an object message (the access log's request id, method, route, status and duration). Error
 * stacks go into `stack`.
 */
export class JsonLogger implements LoggerService {
  private enabled: Set<LogLevel>;

  constructor(
    levels: LogLevel[],
    private readonly write: (line: string) => void = (line) => void process.stdout.write(line),
  ) {
    this.enabled = enabledLevels(levels);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.enabled = enabledLevels(levels);
  }

  isLevelEnabled(level: LogLevel): boolean {
    return this.enabled.has(level);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.print('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.print('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.print('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.print('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.print('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.print('fatal', message, params);
  }

  private print(level: LogLevel, message: unknown, params: unknown[]): void {
    if (!this.enabled.has(level)) return;
    // Nest passes the context last: `logger.log(message, context)`, `logger.error(message, stack, context)`.
    const rest = [...params];
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const line: Record<string, unknown> = { level: LINE_LEVEL[level], time: new Date().toISOString(), context: context ?? null };
    Object.assign(line, messageFields(message));
    for (const param of rest) {
      if (param instanceof Error) line.stack = param.stack ?? String(param);
      else if (typeof param === 'string' && (level === 'error' || level === 'fatal') && line.stack === undefined) line.stack = param;
      else if (param !== undefined) ((line.extra ??= []) as unknown[]).push(param);
    }
    this.write(`${lineText(line)}\n`);
  }
}

function enabledLevels(levels: LogLevel[]): Set<LogLevel> {
  if (levels.length === 0) return new Set();
  // As Nest reads a list: the levels named, and everything more severe than the most severe of them.
  const mostSevere = Math.max(...levels.map((level) => LEVELS.indexOf(level)));
  return new Set(LEVELS.filter((level, index) => levels.includes(level) || index >= mostSevere));
}

const RESERVED = new Set(['level', 'time', 'context']);

function messageFields(message: unknown): Record<string, unknown> {
  if (message instanceof Error) return { message: message.message, stack: message.stack };
  if (typeof message === 'object' && message !== null && !Array.isArray(message)) {
    const fields = Object.fromEntries(Object.entries(message).filter(([key]) => !RESERVED.has(key)));
    return { ...fields, message: fields.message ?? '' };
  }
  return { message: String(message) };
}

function jsonText(value: unknown): string | undefined {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/** A log line never throws: a line that cannot be serialised (a cycle) keeps its fixed fields. */
function lineText(line: Record<string, unknown>): string {
  try {
    return jsonText(line) as string;
  } catch {
    const { level, time, context, message } = line;
    return JSON.stringify({ level, time, context, message: String(message), note: 'fields dropped: not serialisable' });
  }
}
