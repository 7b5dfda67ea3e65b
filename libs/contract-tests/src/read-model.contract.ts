import { JsonValue } from '@cds/domain';
import {
  CheckpointConflictError,
  ListPage,
  ProfileDocument,
  ProfileFilter,
  ProfileReadModel,
} from '@cds/application';
import { aProfile, numberedId, uniqueCheckpoint, uniqueTenant } from './read-model.builder';

export interface ReadModelUnderTest {
  readModel: ProfileReadModel;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every ProfileReadModel shares: position-guarded writes, checkpoint
 * compare-and-set, tenant isolation, listing with filters and pagination, exact round trips.
 * Each test uses its own tenant and checkpoint names, so a shared server is fine.
 */
export function describeReadModelContract(name: string, open: () => Promise<ReadModelUnderTest>): void {
  describe(`ProfileReadModel contract: ${name}`, () => {
    let subject: ReadModelUnderTest;
    let rm: ProfileReadModel;
    let tenant: string;
    let cp: string;

    beforeEach(async () => {
      subject = await open();
      rm = subject.readModel;
      tenant = uniqueTenant();
      cp = uniqueCheckpoint();
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    /** Writes documents with a fresh checkpoint of their own, for tests about documents. */
    let seq = 0;
    const write = async (...documents: ProfileDocument[]): Promise<void> => {
      const name = uniqueCheckpoint('seed');
      seq += 1;
      await rm.applyBatch(documents, { name, expected: null, next: seq });
    };

    const ids = (documents: ProfileDocument[]): string[] => documents.map((d) => d.profile_id);

    const listIds = async (filters: ProfileFilter[], pageSize = 100, t = tenant): Promise<string[]> =>
      ids((await rm.list(t, { filters, pageSize })).items);

    describe('documents', () => {
      it('returns null and an empty map for unknown profiles', async () => {
        expect(await rm.get(tenant, 'nobody')).toBeNull();
        expect((await rm.getMany(tenant, ['nobody', 'nobody-else'])).size).toBe(0);
        expect((await rm.getMany(tenant, [])).size).toBe(0);
      });

      it('stores documents and returns them by id, whatever their status', async () => {
        const active = aProfile(tenant, 'a').at(3).identity('email', 'a@example.com').build();
        const merged = aProfile(tenant, 'm').at(4).merged('a').build();
        const deleted = aProfile(tenant, 'd').at(5).deleted().build();
        await write(active, merged, deleted);

        expect(await rm.get(tenant, 'a')).toStrictEqual(active);
        expect(await rm.get(tenant, 'm')).toStrictEqual(merged);
        expect(await rm.get(tenant, 'd')).toStrictEqual(deleted);

        const many = await rm.getMany(tenant, ['a', 'm', 'd', 'missing', 'a']);
        expect([...many.keys()].sort()).toEqual(['a', 'd', 'm']);
        expect(many.get('a')).toStrictEqual(active);
        expect(many.get('m')).toStrictEqual(merged);
        expect(many.get('d')).toStrictEqual(deleted);
      });

      it('round-trips the state exactly', async () => {
        const doc = aProfile(tenant, 'rt')
          .at(1_234_567)
          .userId('user-Ünïcødé-✓')
          .trackers('t1', 't2', 'trąćkęr-3')
          .identity('email', 'someone@example.com')
          .identity('phones', ['+1 555 0100', '+44 20 7946 0958'])
          .trait('empty_object', {})
          .trait('empty_list', [])
          .trait('nothing', null)
          .trait('zero', 0)
          .trait('negative', -42)
          .trait('decimal', 3.14159)
          .trait('tiny', 1e-7)
          .trait('big', 9_007_199_254_740_991)
          .trait('beyond_int32', 4_294_967_296)
          .trait('negative_big', -12_345_678_901)
          .trait('flag', false)
          .trait('emoji', '👟 shoes — “quoted” \n new line \t tab')
          .trait('address', {
            street: 'Hauptstraße 1',
            city: 'Zürich',
            geo: { lat: 47.3769, lng: 8.5417, tags: [] },
            'ключ': 'значение',
            '日本語': ['一', '二'],
            extra: {},
          })
          .trait('orders', [
            { id: 1, items: [{ sku: 'A-1', qty: 2, price: 9.99 }], gift: true, note: null },
            { id: 2, items: [], gift: false, note: '' },
          ])
          .appData('web-app_1', 'last_page', '/checkout?step=2&x=ä')
          .appData('web-app_1', 'visits', 17)
          .appData('mobile', 'settings', { dark: true, locale: 'de-CH' })
          .mergedFrom(
            { profile_id: 'gone-1', reason: { kind: 'user_id' }, triggered_by: 'survivor', merged_at: '2024-02-01T10:00:00.000Z' },
            { profile_id: 'gone-2', reason: { kind: 'rule', rule_name: 'same-email' }, triggered_by: 'merged', merged_at: '2024-03-01T10:00:00.000Z' },
          )
          .updatedAt('2024-03-01T10:00:00.123Z')
          .build();
        await write(doc);

        const stored = await rm.get(tenant, 'rt');
        expect(stored).toStrictEqual(doc);
        // Key order too: nothing inside the state is reordered on the way through.
        expect(JSON.stringify(stored!.state)).toBe(JSON.stringify(doc.state));
        expect((await rm.getMany(tenant, ['rt'])).get('rt')).toStrictEqual(doc);
        expect((await rm.list(tenant, { filters: [], pageSize: 10 })).items).toStrictEqual([doc]);
      });

      it('keeps stored documents apart from the objects callers hold', async () => {
        const doc = aProfile(tenant, 'c').trait('interests', ['shoes']).build();
        const original = JSON.parse(JSON.stringify(doc)) as ProfileDocument;
        await write(doc);
        (doc.state.attributes.traits.interests as string[]).push('changed after write');

        const read = (await rm.get(tenant, 'c'))!;
        expect(read).toStrictEqual(original);
        (read.state.attributes.traits.interests as string[]).push('changed after read');
        read.state.status = 'deleted';

        expect(await rm.get(tenant, 'c')).toStrictEqual(original);
        expect((await rm.list(tenant, { filters: [], pageSize: 10 })).items).toStrictEqual([original]);
      });

      it('replaces a document with one at a newer position', async () => {
        await write(aProfile(tenant, 'p').at(10).trait('v', 'old').build());
        const newer = aProfile(tenant, 'p').at(11).trait('v', 'new').build();
        await write(newer);
        expect(await rm.get(tenant, 'p')).toStrictEqual(newer);
      });

      it('never moves a document back to an older or equal position', async () => {
        const current = aProfile(tenant, 'p').at(10).trait('v', 'current').build();
        await write(current);
        await write(aProfile(tenant, 'p').at(9).trait('v', 'older').build());
        await write(aProfile(tenant, 'p').at(10).trait('v', 'same position').build());
        await write(aProfile(tenant, 'p').at(0).deleted().build());
        expect(await rm.get(tenant, 'p')).toStrictEqual(current);
      });

      it('keeps the newest of several versions of a profile in one batch, whatever their order', async () => {
        const v1 = aProfile(tenant, 'x').at(1).trait('v', 1).build();
        const v3 = aProfile(tenant, 'x').at(3).trait('v', 3).build();
        const v2 = aProfile(tenant, 'x').at(2).trait('v', 2).build();
        await write(v1, v3, v2);
        expect(await rm.get(tenant, 'x')).toStrictEqual(v3);
      });

      it('writes the fresh documents of a batch and skips the stale ones', async () => {
        await write(aProfile(tenant, 'a').at(5).trait('v', 'a5').build(), aProfile(tenant, 'b').at(5).trait('v', 'b5').build());
        const staleA = aProfile(tenant, 'a').at(4).trait('v', 'a4').build();
        const freshB = aProfile(tenant, 'b').at(6).trait('v', 'b6').build();
        const newC = aProfile(tenant, 'c').at(6).trait('v', 'c6').build();
        await write(staleA, freshB, newC);
        expect((await rm.get(tenant, 'a'))!.state.attributes.traits.v).toBe('a5');
        expect(await rm.get(tenant, 'b')).toStrictEqual(freshB);
        expect(await rm.get(tenant, 'c')).toStrictEqual(newC);
      });

      it('is idempotent when the same batch runs twice', async () => {
        const batch = [
          aProfile(tenant, 'a').at(7).trait('v', 'a').build(),
          aProfile(tenant, 'b').at(8).merged('a').build(),
        ];
        await rm.applyBatch(batch, { name: cp, expected: null, next: 8 });
        const before = await rm.getMany(tenant, ['a', 'b']);

        const again = rm.applyBatch(batch, { name: cp, expected: null, next: 8 });
        await expect(again).rejects.toBeInstanceOf(CheckpointConflictError);

        expect(await rm.getMany(tenant, ['a', 'b'])).toStrictEqual(before);
        expect(await rm.checkpoint(cp)).toBe(8);
        expect(await listIds([])).toEqual(['a']);
      });
    });

    describe('checkpoints', () => {
      it('has no checkpoint before the first batch', async () => {
        expect(await rm.checkpoint(cp)).toBeNull();
      });

      it('sets a checkpoint from null, then moves it by compare-and-set', async () => {
        await rm.applyBatch([], { name: cp, expected: null, next: 5 });
        expect(await rm.checkpoint(cp)).toBe(5);
        await rm.applyBatch([aProfile(tenant, 'a').at(9).build()], { name: cp, expected: 5, next: 9 });
        expect(await rm.checkpoint(cp)).toBe(9);
        await rm.applyBatch([], { name: cp, expected: 9, next: 4_294_967_296_000 });
        expect(await rm.checkpoint(cp)).toBe(4_294_967_296_000);
      });

      it('refuses a checkpoint move from a stale expected position', async () => {
        await rm.applyBatch([], { name: cp, expected: null, next: 5 });
        await rm.applyBatch([], { name: cp, expected: 5, next: 8 });

        const error = await rm.applyBatch([], { name: cp, expected: 5, next: 9 }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(CheckpointConflictError);
        expect(error).toMatchObject({ checkpointName: cp, expected: 5, actual: 8 });
        expect(await rm.checkpoint(cp)).toBe(8);
      });

      it('refuses to create a checkpoint that already exists', async () => {
        await rm.applyBatch([], { name: cp, expected: null, next: 5 });
        const error = await rm.applyBatch([], { name: cp, expected: null, next: 6 }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(CheckpointConflictError);
        expect(error).toMatchObject({ checkpointName: cp, expected: null, actual: 5 });
        expect(await rm.checkpoint(cp)).toBe(5);
      });

      it('refuses a move fenced by an older lease, even from the right position', async () => {
        await rm.applyBatch([], { name: cp, expected: null, next: 5, fence: 2 });
        // The writer holding lease token 1 lost it to token 2: its move fails, its documents change nothing.
        const stale = aProfile(tenant, 's').at(6).trait('v', 'stale writer').build();
        await expect(rm.applyBatch([stale], { name: cp, expected: 5, next: 6, fence: 1 })).rejects.toBeInstanceOf(CheckpointConflictError);
        expect(await rm.checkpoint(cp)).toBe(5);
        // The holder of token 2, and a later one, move it on.
        await rm.applyBatch([], { name: cp, expected: 5, next: 7, fence: 2 });
        await rm.applyBatch([], { name: cp, expected: 7, next: 8, fence: 3 });
        await expect(rm.applyBatch([], { name: cp, expected: 8, next: 9, fence: 2 })).rejects.toBeInstanceOf(CheckpointConflictError);
        expect(await rm.checkpoint(cp)).toBe(8);
      });

      it('refuses to move a checkpoint that does not exist yet', async () => {
        const error = await rm.applyBatch([], { name: cp, expected: 3, next: 6 }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(CheckpointConflictError);
        expect(error).toMatchObject({ checkpointName: cp, expected: 3, actual: null });
        expect(await rm.checkpoint(cp)).toBeNull();
      });

      it('keeps checkpoints of different names apart', async () => {
        const other = uniqueCheckpoint('other');
        await rm.applyBatch([], { name: cp, expected: null, next: 5 });
        await rm.applyBatch([], { name: other, expected: null, next: 50 });
        await rm.applyBatch([], { name: cp, expected: 5, next: 6 });
        expect(await rm.checkpoint(cp)).toBe(6);
        expect(await rm.checkpoint(other)).toBe(50);
      });
    });

    describe('tenants', () => {
      it('keeps tenants fully apart, even for the same profile id', async () => {
        const other = uniqueTenant('other');
        const mine = aProfile(tenant, 'same').at(2).identity('email', 'shared@example.com').trait('who', 'mine').build();
        const theirs = aProfile(other, 'same').at(1).identity('email', 'shared@example.com').trait('who', 'theirs').build();
        const onlyTheirs = aProfile(other, 'only-theirs').identity('email', 'shared@example.com').build();
        await write(mine, theirs, onlyTheirs);

        expect(await rm.get(tenant, 'same')).toStrictEqual(mine);
        expect(await rm.get(other, 'same')).toStrictEqual(theirs);
        expect(await rm.get(tenant, 'only-theirs')).toBeNull();
        expect([...(await rm.getMany(tenant, ['same', 'only-theirs'])).keys()]).toEqual(['same']);
        expect(await listIds([])).toEqual(['same']);
        expect(await listIds([], 100, other)).toEqual(['only-theirs', 'same']);
        expect(await listIds([{ path: 'identity_attributes.email', operator: 'eq', value: 'shared@example.com' }])).toEqual(['same']);
        expect(await listIds([], 100, uniqueTenant('empty'))).toEqual([]);
      });
    });

    describe('list', () => {
      it('lists only active profiles, in profile id order; merged and deleted ones stay readable by id', async () => {
        await write(
          aProfile(tenant, 'c').build(),
          aProfile(tenant, 'a').build(),
          aProfile(tenant, 'b').merged('a').build(),
          aProfile(tenant, 'e').deleted().build(),
          aProfile(tenant, 'd').build(),
        );
        const page = await rm.list(tenant, { filters: [], pageSize: 10 });
        expect(ids(page.items)).toEqual(['a', 'c', 'd']);
        expect(page.nextAfter).toBeUndefined();
        expect((await rm.get(tenant, 'b'))!.state.status).toBe('merged');
        expect((await rm.get(tenant, 'e'))!.state.status).toBe('deleted');
      });

      it('drops a profile from the list once a newer document marks it merged', async () => {
        await write(aProfile(tenant, 'a').at(1).build(), aProfile(tenant, 'b').at(1).build());
        await write(aProfile(tenant, 'b').at(2).merged('a').build());
        expect(await listIds([])).toEqual(['a']);
      });

      it('walks 55 profiles in pages of 20 without gaps or duplicates', async () => {
        const all = Array.from({ length: 55 }, (_, i) => numberedId(i + 1));
        const shuffled = [...all].sort(() => Math.random() - 0.5);
        await write(...shuffled.map((id) => aProfile(tenant, id).build()));
        // Noise that must never show up in pages.
        await write(aProfile(tenant, 'p-030x').merged('p-030').build(), aProfile(tenant, 'p-000').deleted().build());

        const pages: ListPage[] = [];
        let after: string | undefined;
        do {
          const page = await rm.list(tenant, { filters: [], pageSize: 20, after });
          pages.push(page);
          after = page.nextAfter;
        } while (after !== undefined && pages.length < 10);

        expect(pages.map((p) => p.items.length)).toEqual([20, 20, 15]);
        expect(pages[0].nextAfter).toBe(numberedId(20));
        expect(pages[1].nextAfter).toBe(numberedId(40));
        expect(pages[2].nextAfter).toBeUndefined();
        expect(pages.flatMap((p) => ids(p.items))).toEqual(all);
      });

      it('ends with an empty page when the last full page was exactly the end', async () => {
        await write(...Array.from({ length: 4 }, (_, i) => aProfile(tenant, numberedId(i)).build()));
        const first = await rm.list(tenant, { filters: [], pageSize: 2 });
        const second = await rm.list(tenant, { filters: [], pageSize: 2, after: first.nextAfter });
        expect(second.nextAfter).toBe(numberedId(3));
        const third = await rm.list(tenant, { filters: [], pageSize: 2, after: second.nextAfter });
        expect(third).toEqual({ items: [] });
      });

      it('starts strictly after `after`, which need not be a stored id', async () => {
        await write(...['a', 'b', 'c', 'd'].map((id) => aProfile(tenant, id).build()));
        expect(ids((await rm.list(tenant, { filters: [], pageSize: 10, after: 'b' })).items)).toEqual(['c', 'd']);
        expect(ids((await rm.list(tenant, { filters: [], pageSize: 10, after: 'bb' })).items)).toEqual(['c', 'd']);
        expect(ids((await rm.list(tenant, { filters: [], pageSize: 10, after: '' })).items)).toEqual(['a', 'b', 'c', 'd']);
        expect(ids((await rm.list(tenant, { filters: [], pageSize: 10, after: 'z' })).items)).toEqual([]);
      });

      it('pages through filtered results', async () => {
        await write(
          ...Array.from({ length: 30 }, (_, i) =>
            aProfile(tenant, numberedId(i)).trait('parity', i % 2 === 0 ? 'even' : 'odd').build(),
          ),
        );
        const filters: ProfileFilter[] = [{ path: 'traits.parity', operator: 'eq', value: 'even' }];
        const seen: string[] = [];
        let after: string | undefined;
        let pages = 0;
        do {
          const page = await rm.list(tenant, { filters, pageSize: 4, after });
          seen.push(...ids(page.items));
          after = page.nextAfter;
          pages += 1;
        } while (after !== undefined && pages < 20);
        expect(seen).toEqual(Array.from({ length: 15 }, (_, i) => numberedId(i * 2)));
      });
    });

    describe('filters', () => {
      beforeEach(async () => {
        await write(
          aProfile(tenant, 'ann')
            .userId('user-ann')
            .identity('email', 'ann@example.com')
            .identity('emails', ['ann@work.example', 'ann.private@mail.example'])
            .trait('interests', ['running shoes', 'Tennis'])
            .trait('age', 34)
            .trait('score', 7.5)
            .trait('vip', true)
            .trait('nickname', 'Annie')
            .trait('lucky_numbers', [7, 13])
            .trait('address', { city: 'Berlin', zip: '10115' })
            .appData('shop-web', 'cart_items', 3)
            .appData('shop-web', 'last_category', 'shoes/running')
            .build(),
          aProfile(tenant, 'bob')
            .identity('email', 'bob@example.org')
            .trait('interests', ['chess'])
            .trait('age', 51)
            .trait('score', 7)
            .trait('vip', false)
            .trait('nickname', 'bobby')
            .trait('lucky_numbers', [34])
            .trait('age_text', '34')
            .appData('shop-web', 'cart_items', 0)
            .appData('mobile_app', 'last_category', 'shoes/running')
            .build(),
          aProfile(tenant, 'cyd')
            .userId('user-cyd')
            .identity('email', 'CYD@EXAMPLE.COM')
            .trait('interests', ['shoes', 'running'])
            .trait('vip_text', 'true')
            .trait('nickname', 'line one\nAnnie')
            .build(),
          aProfile(tenant, 'dee')
            .merged('ann')
            .identity('email', 'ann@example.com')
            .trait('interests', ['running shoes'])
            .build(),
          aProfile(tenant, 'eve')
            .deleted()
            .identity('email', 'ann@example.com')
            .trait('interests', ['running shoes'])
            .build(),
        );
      });

      const eq = (path: string, value: JsonValue): ProfileFilter => ({ path, operator: 'eq', value });
      const co = (path: string, value: JsonValue): ProfileFilter => ({ path, operator: 'co', value });
      const sw = (path: string, value: JsonValue): ProfileFilter => ({ path, operator: 'sw', value });

      it('eq on strings is exact and case-sensitive', async () => {
        expect(await listIds([eq('identity_attributes.email', 'ann@example.com')])).toEqual(['ann']);
        expect(await listIds([eq('identity_attributes.email', 'cyd@example.com')])).toEqual([]);
        expect(await listIds([eq('identity_attributes.email', 'CYD@EXAMPLE.COM')])).toEqual(['cyd']);
        expect(await listIds([eq('identity_attributes.email', 'ann@example')])).toEqual([]);
      });

      it('eq on an array attribute matches any element', async () => {
        expect(await listIds([eq('traits.interests', 'running shoes')])).toEqual(['ann']);
        expect(await listIds([eq('traits.interests', 'shoes')])).toEqual(['cyd']);
        expect(await listIds([eq('identity_attributes.emails', 'ann.private@mail.example')])).toEqual(['ann']);
        expect(await listIds([eq('traits.lucky_numbers', 34)])).toEqual(['bob']);
        expect(await listIds([eq('traits.lucky_numbers', 7)])).toEqual(['ann']);
      });

      it('eq on numbers and booleans compares typed values', async () => {
        expect(await listIds([eq('traits.age', 34)])).toEqual(['ann']);
        expect(await listIds([eq('traits.age', '34')])).toEqual([]);
        expect(await listIds([eq('traits.age_text', 34)])).toEqual([]);
        expect(await listIds([eq('traits.score', 7)])).toEqual(['bob']);
        expect(await listIds([eq('traits.score', 7.5)])).toEqual(['ann']);
        expect(await listIds([eq('traits.vip', true)])).toEqual(['ann']);
        expect(await listIds([eq('traits.vip', false)])).toEqual(['bob']);
        expect(await listIds([eq('traits.vip_text', true)])).toEqual([]);
        expect(await listIds([eq('traits.vip', 'true')])).toEqual([]);
        expect(await listIds([eq('application_data.shop-web.cart_items', 0)])).toEqual(['bob']);
      });

      it('eq null matches profiles where the attribute is null or absent', async () => {
        expect(await listIds([eq('user_id', null)])).toEqual(['bob']);
        expect(await listIds([eq('traits.vip', null)])).toEqual(['cyd']);
      });

      it('eq on a complex attribute compares the whole value, whatever its key order', async () => {
        expect(await listIds([eq('traits.address', { city: 'Berlin', zip: '10115' })])).toEqual(['ann']);
        expect(await listIds([eq('traits.address', { zip: '10115', city: 'Berlin' })])).toEqual(['ann']);
        expect(await listIds([eq('traits.address', { city: 'Berlin' })])).toEqual([]);
      });

      it('co matches a substring, of a string or of any string element of an array', async () => {
        expect(await listIds([co('identity_attributes.email', '@example.')])).toEqual(['ann', 'bob']);
        expect(await listIds([co('traits.interests', 'shoe')])).toEqual(['ann', 'cyd']);
        expect(await listIds([co('traits.interests', 'ennis')])).toEqual(['ann']);
        expect(await listIds([co('traits.interests', 'tennis')])).toEqual([]);
        expect(await listIds([co('traits.nickname', 'nni')])).toEqual(['ann', 'cyd']);
      });

      it('sw matches a prefix, case-sensitive, of a string or of any string element of an array', async () => {
        expect(await listIds([sw('identity_attributes.email', 'ann@')])).toEqual(['ann']);
        expect(await listIds([sw('identity_attributes.email', 'ANN@')])).toEqual([]);
        expect(await listIds([sw('traits.interests', 'run')])).toEqual(['ann', 'cyd']);
        expect(await listIds([sw('traits.interests', 'Ten')])).toEqual(['ann']);
        expect(await listIds([sw('traits.interests', 'shoes')])).toEqual(['cyd']);
        expect(await listIds([sw('identity_attributes.emails', 'ann.private')])).toEqual(['ann']);
      });

      it('sw anchors at the start of the value, not at a line start', async () => {
        expect(await listIds([sw('traits.nickname', 'Annie')])).toEqual(['ann']);
        expect(await listIds([co('traits.nickname', 'one\nAnn')])).toEqual(['cyd']);
      });

      it('co and sw never match numbers, booleans or objects, nor take non-string values', async () => {
        expect(await listIds([co('traits.age', '3')])).toEqual([]);
        expect(await listIds([sw('traits.age', '34')])).toEqual([]);
        expect(await listIds([co('traits.lucky_numbers', '3')])).toEqual([]);
        expect(await listIds([sw('traits.vip', 'tr')])).toEqual([]);
        expect(await listIds([co('traits.address', 'Berlin')])).toEqual([]);
        expect(await listIds([co('traits.age_text', '34')])).toEqual(['bob']);
        expect(await listIds([co('traits.age', 34)])).toEqual([]);
        expect(await listIds([sw('traits.vip', true)])).toEqual([]);
      });

      it('treats regex metacharacters in co and sw values literally', async () => {
        const specials = [
          'a.b*c+d?',
          '(group)|[class]',
          '^caret$dollar',
          'back\\slash\\d',
          '{1,2}',
          'slash/and-dash',
          '#hash with space',
        ];
        const others = uniqueTenant('regex');
        await write(
          ...specials.map((value, i) => aProfile(others, `s${i}`).trait('text', `x${value}y`).build()),
          aProfile(others, 'decoy').trait('text', 'aXbbbcdd').build(),
          aProfile(others, 'decoy2').trait('text', 'group').build(),
        );
        for (const [i, value] of specials.entries()) {
          expect(await listIds([co('traits.text', value)], 100, others)).toEqual([`s${i}`]);
          expect(await listIds([sw('traits.text', `x${value}`)], 100, others)).toEqual([`s${i}`]);
          expect(await listIds([sw('traits.text', value)], 100, others)).toEqual([]);
        }
        expect(await listIds([co('traits.text', '.')], 100, others)).toEqual(['s0']);
        expect(await listIds([co('traits.text', '.*')], 100, others)).toEqual([]);
      });

      it('reads nested application data by application and name', async () => {
        expect(await listIds([eq('application_data.shop-web.last_category', 'shoes/running')])).toEqual(['ann']);
        expect(await listIds([eq('application_data.mobile_app.last_category', 'shoes/running')])).toEqual(['bob']);
        expect(await listIds([sw('application_data.shop-web.last_category', 'shoes/')])).toEqual(['ann']);
        expect(await listIds([eq('application_data.shop-web.cart_items', 3)])).toEqual(['ann']);
        expect(await listIds([eq('application_data.no-such-app.cart_items', 3)])).toEqual([]);
      });

      it('filters by profile_id and user_id', async () => {
        expect(await listIds([eq('profile_id', 'bob')])).toEqual(['bob']);
        expect(await listIds([eq('profile_id', 'dee')])).toEqual([]);
        expect(await listIds([eq('user_id', 'user-cyd')])).toEqual(['cyd']);
        expect(await listIds([sw('user_id', 'user-')])).toEqual(['ann', 'cyd']);
      });

      it('requires every filter to match', async () => {
        expect(await listIds([co('traits.interests', 'shoe'), sw('identity_attributes.email', 'ann')])).toEqual(['ann']);
        expect(await listIds([co('traits.interests', 'shoe'), eq('traits.vip', false)])).toEqual([]);
        expect(await listIds([co('identity_attributes.email', 'example'), eq('traits.vip', false), eq('traits.age', 51)])).toEqual(['bob']);
      });

      it('returns nothing for an attribute no profile has', async () => {
        expect(await listIds([eq('traits.unknown', 'x')])).toEqual([]);
        expect(await listIds([co('traits.unknown', 'x')])).toEqual([]);
      });

      it('rejects paths outside the attribute scopes', async () => {
        for (const path of ['email', 'traits', 'traits.a.b', 'application_data.app', 'state.status', 'traits.$where']) {
          await expect(rm.list(tenant, { filters: [eq(path, 'x')], pageSize: 10 })).rejects.toThrow();
        }
      });
    });

    describe('scan', () => {
      /** Every document of the given tenants, paging through the whole read model from the first of them. */
      const scanAll = async (tenants: string[], pageSize: number) => {
        const mine = new Set(tenants);
        const first = [...tenants].sort()[0];
        const found: ProfileDocument[] = [];
        let after: { tenant: string; profileId: string } | undefined = { tenant: first, profileId: '' };
        let pages = 0;
        for (;;) {
          const page = await rm.scan(after, pageSize);
          pages += 1;
          expect(page.length).toBeLessThanOrEqual(pageSize);
          found.push(...page.filter((d) => mine.has(d.tenant)));
          // Past the last of our tenants (others may share the server): done.
          if (page.length < pageSize || page.some((d) => d.tenant > [...tenants].sort().at(-1)!)) break;
          const last = page[page.length - 1];
          after = { tenant: last.tenant, profileId: last.profile_id };
          if (pages > 1000) throw new Error('scan does not end');
        }
        return found;
      };

      it('returns every document of every status, in (tenant, profile_id) order, page after page', async () => {
        // Tenant handles where one is a prefix of another: tuple order, not `tenant/id` string order.
        const base = uniqueTenant('scan');
        const tenants = [base, `${base}-b`, `${base}_c`, `${base}0`];
        const docs: ProfileDocument[] = [];
        for (const [t, name] of tenants.entries()) {
          for (let i = 0; i < 7; i++) {
            const builder = aProfile(name, numberedId(i)).at(i + 1).trait('n', t * 10 + i);
            if (i === 2) builder.merged(numberedId(0));
            if (i === 4) builder.deleted();
            docs.push(builder.build());
          }
        }
        await write(...[...docs].reverse());
        const expected = [...docs].sort((a, b) =>
          a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : a.profile_id < b.profile_id ? -1 : a.profile_id > b.profile_id ? 1 : 0,
        );
        for (const pageSize of [1, 3, 7, 100]) {
          expect(await scanAll(tenants, pageSize)).toStrictEqual(expected);
        }
        expect(expected.filter((d) => d.state.status !== 'active')).toHaveLength(8);
      });

      it('starts strictly after the key given and returns at most the limit', async () => {
        const t = uniqueTenant('scan-after');
        await write(...['a', 'b', 'c', 'd'].map((id) => aProfile(t, id).build()));
        expect(ids(await rm.scan({ tenant: t, profileId: 'b' }, 2))).toEqual(['c', 'd']);
        expect(ids(await rm.scan({ tenant: t, profileId: 'a' }, 1))).toEqual(['b']);
        expect(await rm.scan({ tenant: t, profileId: 'a' }, 0)).toEqual([]);
        const fromStart = await rm.scan(undefined, 5);
        expect(fromStart.length).toBeGreaterThan(0);
        expect(fromStart.length).toBeLessThanOrEqual(5);
      });
    });
  });
}
