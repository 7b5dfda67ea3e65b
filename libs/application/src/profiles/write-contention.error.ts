import { DomainError } from '@cds/domain';

/** Every retry met a concurrent writer. Nothing was appended; the caller may retry. */
export class WriteContentionError extends DomainError {
  constructor(streamId: string) {
    super('conflict', 'write_contention', `Too many concurrent writes to ${streamId}; nothing was written, retry`);
  }
}
