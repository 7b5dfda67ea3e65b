import { EventStoreUnavailableError } from '@cds/application';

/**
 * The log file holds damage that is not the torn end of an interrupted write. Opening refuses
 * rather than dropping acknowledged events; an operator has to look at the file.
 */
export class EventLogCorruptionError extends EventStoreUnavailableError {
  constructor(
    readonly file: string,
    readonly offset: number,
    detail: string,
  ) {
    super(`Event log ${file} is corrupt at byte ${offset}: ${detail}`);
    this.name = 'EventLogCorruptionError';
  }
}

/** Another live process (or another store in this process) has the log directory open. */
export class EventLogInUseError extends EventStoreUnavailableError {
  constructor(
    readonly directory: string,
    readonly pid: number,
  ) {
    super(`Event log directory ${directory} is in use by process ${pid}`);
    this.name = 'EventLogInUseError';
  }
}
