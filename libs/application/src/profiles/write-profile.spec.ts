import { randomUUID } from 'node:crypto';
import { parseAttributeWrites } from '@cds/domain';
import { applicationFixture } from '../testing/application-fixture';
import { idempotentRequest } from './idempotency';
import { patchProfile } from './patch-profile';

const TENANT = 'acme';

async function withCounter() {
  const app = applicationFixture();
  await app.define(TENANT, 'traits', [{ attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' }]);
  const device = await app.device(TENANT);
  const plusOne = parseAttributeWrites(await app.schema.current(TENANT), { traits: { visits: 1 } });
  return { app, device, plusOne };
}

describe('writing to a profile', () => {
  it('keeps every one of many concurrent writes, even when they share a correlation id', async () => {
    const { app, device, plusOne } = await withCounter();
    const writers = Array.from({ length: 20 }, () =>
      patchProfile(app.profiles, app.clock, { tenant: TENANT, profileId: device.id, writes: plusOne, source: 'http', correlationId: 'same-request-id' }),
    );
    await Promise.all(writers);
    // Read back by a process with nothing cached: the log itself holds all twenty.
    const fresh = await app.otherProcess().profiles.load(TENANT, device.id);
    expect(fresh.state.profile.attributes.traits.visits).toBe(20);
  });

  it('applies a keyed request once, however often and however concurrently it is retried', async () => {
    const { app, device, plusOne } = await withCounter();
    const idempotency = idempotentRequest('key-1', { profile_id: device.id, body: { traits: { visits: 1 } } });
    const attempts = await Promise.all(
      Array.from({ length: 10 }, () => patchProfile(app.profiles, app.clock, { tenant: TENANT, profileId: device.id, writes: plusOne, source: 'http', idempotency, correlationId: randomUUID() })),
    );
    expect(new Set(attempts.map((a) => a.position)).size).toBe(1);
    expect((await app.otherProcess().profiles.load(TENANT, device.id)).state.profile.attributes.traits.visits).toBe(1);
  });

  it('refuses the same key with another request (422) and writes nothing', async () => {
    const { app, device, plusOne } = await withCounter();
    const first = idempotentRequest('key-2', { profile_id: device.id, body: { traits: { visits: 1 } } });
    await patchProfile(app.profiles, app.clock, { tenant: TENANT, profileId: device.id, writes: plusOne, source: 'http', idempotency: first, correlationId: randomUUID() });
    const before = app.log.all().length;
    const other = idempotentRequest('key-2', { profile_id: device.id, body: { traits: { visits: 2 } } });
    await expect(
      patchProfile(app.profiles, app.clock, { tenant: TENANT, profileId: device.id, writes: plusOne, source: 'http', idempotency: other, correlationId: randomUUID() }),
    ).rejects.toMatchObject({ kind: 'unprocessable', code: 'idempotency_key_reused' });
    expect(app.log.all()).toHaveLength(before);
  });
});
