import { BoundedCache } from './bounded-cache';

describe('BoundedCache', () => {
  it('never holds more than its capacity', () => {
    const cache = new BoundedCache<number>(10);
    for (let i = 0; i < 1000; i++) cache.set(`k${i}`, i);
    expect(cache.size).toBeLessThanOrEqual(10);
    expect(cache.get('k999')).toBe(999);
    expect(cache.get('k0')).toBeUndefined();
  });

  it('keeps an entry that keeps being used while others come and go', () => {
    const cache = new BoundedCache<number>(10);
    cache.set('hot', 1);
    for (let i = 0; i < 1000; i++) {
      cache.set(`k${i}`, i);
      expect(cache.get('hot')).toBe(1);
    }
  });

  it('forgets a deleted entry', () => {
    const cache = new BoundedCache<number>(4);
    cache.set('a', 1);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });
});
