import { ReadAhead } from './read-ahead';

async function* numbers(count: number, failAt?: number, pulled?: number[]) {
  for (let i = 0; i < count; i++) {
    if (i === failAt) throw new Error(`failed at ${i}`);
    pulled?.push(i);
    yield i;
  }
}

describe('ReadAhead', () => {
  it('hands items over in order and reads ahead while the consumer is busy, up to its limit', async () => {
    const pulled: number[] = [];
    const ahead = new ReadAhead(numbers(10, undefined, pulled), 3);
    expect(await ahead.next()).toEqual({ done: false, value: 0 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    // While the consumer was away, three more were read, and no more.
    expect(pulled).toEqual([0, 1, 2, 3]);
    const rest: number[] = [];
    for (let r = await ahead.next(); !r.done; r = await ahead.next()) rest.push(r.value);
    expect(rest).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('gives the iterator’s error where it happened, after the items before it', async () => {
    const ahead = new ReadAhead(numbers(10, 2), 5);
    expect((await ahead.next()).value).toBe(0);
    expect((await ahead.next()).value).toBe(1);
    await expect(ahead.next()).rejects.toThrow('failed at 2');
  });
});
