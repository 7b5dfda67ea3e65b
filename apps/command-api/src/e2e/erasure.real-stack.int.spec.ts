import { randomBytes } from 'node:crypto';
import { EsdbEventStore, connectMongo } from '@cds/adapters-real';
import { RecordedEvent } from '@cds/application';
import { describeFindings, scanRecords } from '@cds/contract-tests';
import { ApiClient, expectError, expectStatus } from '../../test/api-client';
import { realServers, realStackEnv } from '../../test/real-servers';
import { RunningApp, startTestApp } from '../../test/test-app';

const ADA = { email: 'ada.lovelace@example.org', name: 'Ada Lovelace', interest: 'analytical engines', user: 'ada-1815' };
const GRACE = { email: 'grace.hopper@example.org', name: 'Grace Hopper' };

/**
 * Erasure on the real stack: after DELETE, no byte of what was written to the person is left in
 * EventStoreDB's events (raw, as stored: values sealed under a key that no longer exists) nor
 * in any MongoDB collection of the deployment (read model, dead letters, keys, checkpoints).
 */
describe('erasure on EventStoreDB and MongoDB', () => {
  const org = `erase-${randomBytes(4).toString('hex')}`;
  const env = realStackEnv([org]);
  let running: RunningApp;
  let api: ApiClient;
  let log: EsdbEventStore;
  let grace = '';
  let erased: string[] = [];

  beforeAll(async () => {
    running = await startTestApp(env);
    api = new ApiClient(running.baseUrl, org);
    log = await EsdbEventStore.connect(realServers().esdb);
    expectStatus(await api.defineAttributes('identity_attributes', [{ attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' }]), 201);
    expectStatus(
      await api.defineAttributes('traits', [
        { attribute_name: 'name', value_type: 'string', merge_strategy: 'overwrite' },
        { attribute_name: 'interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
      ]),
      201,
    );
    const phone = await api.createProfile({ identity_attributes: { email: ADA.email }, traits: { name: ADA.name } });
    const laptop = await api.createProfile({ traits: { interests: [ADA.interest] } });
    expectStatus(await api.signIn(ADA.user, phone.body.anonymous_profile_tracker), 200);
    expectStatus(await api.signIn(ADA.user, laptop.body.anonymous_profile_tracker), 200);
    grace = (await api.createProfile({ identity_attributes: { email: GRACE.email }, traits: { name: GRACE.name } })).body.profile_id;
    erased = [phone.body.profile_id, laptop.body.profile_id];
    expectStatus(await api.deleteProfile(laptop.body.profile_id), 204);
    await api.catchUp();
  }, 60_000);

  afterAll(async () => {
    await log?.close();
    await running?.stop();
  });

  /** Every event of the shared log, as stored. */
  async function rawEvents(): Promise<Array<{ location: string; record: unknown }>> {
    const records: Array<{ location: string; record: unknown }> = [];
    for (let after: number | undefined; ; ) {
      const page: RecordedEvent[] = await log.readAll({ after, maxCount: 1000 });
      if (page.length === 0) return records;
      for (const event of page) records.push({ location: `${event.streamId}@${event.revision}`, record: { type: event.type, data: event.data, metadata: event.metadata } });
      after = page[page.length - 1].position;
    }
  }

  /** Every document of the deployment's databases: the read model's and the key store's. */
  async function mongoDocuments(): Promise<Array<{ location: string; record: unknown }>> {
    const { client } = await connectMongo(realServers().mongo, 'admin');
    try {
      const records: Array<{ location: string; record: unknown }> = [];
      for (const name of [env.CDS_MONGO_DATABASE, env.CDS_MONGO_KEYS_DATABASE]) {
        const db = client.db(name);
        for (const { name: collection } of await db.listCollections().toArray()) {
          for (const doc of await db.collection(collection).find().toArray()) records.push({ location: `${name}.${collection}/${String(doc._id)}`, record: doc });
        }
      }
      return records;
    } finally {
      await client.close();
    }
  }

  it('answers 404 for the person and leaves everyone else alone', async () => {
    for (const id of erased) expectError(await api.getProfile(id), 404);
    const other = await api.getProfile(grace);
    expectStatus(other, 200);
    expect(other.body.traits).toEqual({ name: GRACE.name });
  });

  it('leaves none of the person\'s values in the log as stored nor in MongoDB', async () => {
    const needles = [ADA.email, ADA.name, ADA.interest, ADA.user];
    const events = await rawEvents();
    const documents = await mongoDocuments();
    const findings = [...scanRecords(events, needles), ...scanRecords(documents, needles)];
    if (findings.length > 0) throw new Error(`personal data of the erased person left:\n${describeFindings(findings)}`);
    // The scan sees what is there: ids in the clear in the log, values only in the read model.
    expect(scanRecords(events, [grace]).length).toBeGreaterThan(0);
    expect(scanRecords(events, [GRACE.email, GRACE.name])).toEqual([]);
    expect(scanRecords(documents, [GRACE.email]).length).toBeGreaterThan(0);
  });
});
