import { sumLeavesRange } from '../merge/merge-strategy';
import { attributeKey } from '../schema/attribute';
import { AttributeWrite } from '../schema/value-validation';
import { ErrorDetail, validationError } from '../shared/errors';
import { applyWrite, readSlot } from './attribute-slots';
import { ProfileAttributes } from './profile-state';

/**
 * A write whose `sum` would leave the range the attribute holds exactly is refused as a whole:
 * a counter that silently wrapped, turned null or lost precision would be a wrong answer stored
 * forever.
 */
export function assertWritesInRange(attributes: ProfileAttributes, writes: readonly AttributeWrite[]): void {
  const details: ErrorDetail[] = [];
  let current = attributes;
  for (const write of writes) {
    const stored = readSlot(current, write.scope, write.attribute, write.application_id);
    if (write.value !== null && sumLeavesRange(write, stored, write.value)) {
      details.push({
        field: attributeKey(write.scope, write.attribute, write.application_id),
        reason: `adding ${String(write.value)} to ${String(stored)} leaves the range of ${write.value_type === 'integer' ? 'safe integers' : 'finite numbers'}`,
      });
      continue;
    }
    current = applyWrite(current, write);
  }
  if (details.length > 0) throw validationError('value_out_of_range', 'A sum would leave the range the attribute can hold; nothing was written', details);
}
