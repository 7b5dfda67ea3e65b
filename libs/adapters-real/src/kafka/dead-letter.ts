import { ErrorDetail } from '@cds/domain';
import type { InboundMessage } from './kafka-ingest';

/** What the dead-letter topic holds for each rejected message: the message and why. */
export interface DeadLetter {
  reason: { code: string; message: string; details?: ErrorDetail[] };
  source: { topic: string; partition: number; offset: string; key: string | null };
  /** The original payload, as sent. */
  value: string | null;
}

export function deadLetterRecord(message: InboundMessage, reason: DeadLetter['reason']) {
  const letter: DeadLetter = {
    reason,
    source: { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key },
    value: message.value,
  };
  return {
    key: message.key,
    value: JSON.stringify(letter),
    headers: { 'cds-dead-letter-code': reason.code, 'cds-source-topic': message.topic },
  };
}
