import { v5 as uuidv5 } from 'uuid';
import { eventId } from './event-ids';

describe('eventId', () => {
  it('gives a seeded event the version 5 id it has always had, so a retry across versions still matches', () => {
    const seeds = ['acme/key-1/AbCdEfGhIjKlMnOpQrStUv#0', 'acme/kafka:evt-9/x#3', 'zoë/ключ/✓#1', '', 'a'.repeat(500)];
    for (const seed of seeds) expect(eventId(seed)).toBe(uuidv5(seed, '8c1f4e2a-7b3d-4a9e-b5c6-2d0e9f8a7b61'));
  });

  it('gives the same seed the same id and different seeds different ids', () => {
    expect(eventId('acme/k/f#0')).toBe(eventId('acme/k/f#0'));
    expect(eventId('acme/k/f#0')).not.toBe(eventId('acme/k/f#1'));
  });

  it('makes a random id without a seed', () => {
    expect(eventId()).not.toBe(eventId());
    expect(eventId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
