import { randomUUID } from 'node:crypto';
import { uuidMessage, uuidToString } from './grpc-codec';

describe('esdb emulator: uuid encoding', () => {
  it('round-trips ids through both the string and the structured form', () => {
    for (const id of [randomUUID(), 'ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-0000-0000-000000000001']) {
      expect(uuidToString(uuidMessage(id, false))).toBe(id);
      expect(uuidToString(uuidMessage(id, true))).toBe(id);
    }
  });

  it('encodes structured halves as signed 64-bit numbers, like the server', () => {
    const structured = uuidMessage('ffffffff-ffff-ffff-0000-000000000001', true).getStructured()!;
    expect(structured.getMostSignificantBits()).toBe('-1');
    expect(structured.getLeastSignificantBits()).toBe('1');
  });

  it('rejects ids that are not UUIDs', () => {
    expect(uuidToString(uuidMessage('not-a-uuid', false))).toBeUndefined();
  });
});
