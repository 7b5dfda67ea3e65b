import { aProfile, describeReadModelContract } from '@cds/contract-tests';
import { InMemoryProfileReadModel } from './in-memory-read-model';

describeReadModelContract('in-memory', async () => {
  const readModel = new InMemoryProfileReadModel();
  return { readModel, cleanup: () => readModel.close() };
});

describe('InMemoryProfileReadModel ordering', () => {
  it('keeps profile id order as new profiles arrive between reads', async () => {
    const readModel = new InMemoryProfileReadModel();
    const doc = (id: string, position = 1) => aProfile('t', id).at(position).build();
    let checkpoint: number | null = null;
    const write = async (...documents: ReturnType<typeof doc>[]) => {
      const next = (checkpoint ?? 0) + 1;
      await readModel.applyBatch(documents, { name: 'c', expected: checkpoint, next });
      checkpoint = next;
    };
    const listed = async () => (await readModel.list('t', { filters: [], pageSize: 100 })).items.map((d) => d.profile_id);

    await write(doc('m'), doc('c'), doc('x'));
    expect(await listed()).toEqual(['c', 'm', 'x']);
    await write(doc('a'), doc('n'), doc('m', 2), doc('z'));
    await write(doc('b'));
    expect(await listed()).toEqual(['a', 'b', 'c', 'm', 'n', 'x', 'z']);
    expect((await readModel.list('t', { filters: [], pageSize: 2, after: 'm' })).items.map((d) => d.profile_id)).toEqual(['n', 'x']);
  });
});
