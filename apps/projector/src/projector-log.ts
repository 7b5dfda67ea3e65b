/** Levels from the most severe; CDS_LOG_LEVEL names the least severe one written (Nest's names; info = log). */
const LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type Level = (typeof LEVELS)[number];

const LINE_LEVEL: Record<Level, string> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'verbose' };

export type Log = (level: Level, message: string, fields?: Record<string, unknown>) => void;

/**
 * The projector app's log, like the command API's: one JSON object per line (`level`, `time`,
 * `context`, `message`, fields), or with CDS_LOG_FORMAT=pretty one readable line.
 */
export function createLog(env: Record<string, string | undefined> = process.env, write = (line: string) => void process.stdout.write(line)): Log {
  const format = (env.CDS_LOG_FORMAT?.trim() || 'json').toLowerCase();
  if (format !== 'json' && format !== 'pretty') throw new Error(`Configuration: CDS_LOG_FORMAT must be json or pretty, got "${format}"`);
  const raw = (env.CDS_LOG_LEVEL?.trim() || 'log').toLowerCase();
  const threshold = LEVELS.indexOf((raw === 'info' ? 'log' : raw) as Level);
  if (threshold === -1) throw new Error(`Configuration: CDS_LOG_LEVEL must be one of ${LEVELS.join(', ')}, got "${raw}"`);
  return (level, message, fields = {}) => {
    if (LEVELS.indexOf(level) > threshold) return;
    const time = new Date().toISOString();
    if (format === 'pretty') {
      const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
      write(`${time} ${LINE_LEVEL[level].toUpperCase().padEnd(7)} [Projector] ${message}${extra}\n`);
    } else {
      write(`${JSON.stringify({ level: LINE_LEVEL[level], time, context: 'Projector', message, ...fields })}\n`);
    }
  };
}
