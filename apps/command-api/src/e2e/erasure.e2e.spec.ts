import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFindings, scanDirectory } from '@cds/contract-tests';
import { ActivityIngestService } from '../activity-ingest/activity-ingest.service';
import { IN_PROCESS_KAFKA } from '../../test/in-process-kafka';
import { ApiClient, expectError, expectStatus } from '../../test/api-client';
import { RunningApp, startTestApp } from '../../test/test-app';

const ADA = {
  email: 'ada.lovelace@example.com',
  name: 'Ada Lovelace',
  interests: ['analytical engines', 'poetical science'],
  user: 'ada-user-1815',
};
const GRACE = { email: 'grace.hopper@example.com', name: 'Grace Hopper' };
const KAFKA = IN_PROCESS_KAFKA;

/**
 * Erasure that survives replay: after DELETE, nothing of the person comes back — not through any
 * read, not as the profile was before, not after a restart (the embedded default replays the log)
 * or a rebuild, and not from any byte of the data directory. Everyone else is untouched.
 */
describe('erasure', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cds-erasure-'));
  let running: RunningApp;
  let api: ApiClient;
  const subject = { phone: '', laptop: '', trackers: [] as string[], beforePosition: 0, beforeTime: '' };
  let grace = '';

  const start = async () => {
    running = await startTestApp({}, { dataDir });
    api = new ApiClient(running.baseUrl, 'forget');
  };

  beforeAll(async () => {
    await start();
    expectStatus(await api.defineAttributes('identity_attributes', [{ attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' }]), 201);
    expectStatus(
      await api.defineAttributes('traits', [
        { attribute_name: 'name', value_type: 'string', merge_strategy: 'overwrite' },
        { attribute_name: 'interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
      ]),
      201,
    );
    expectStatus(await api.request('POST', '/unification-rules', { body: { rule_name: 'Email', property_name: 'identity_attributes.email' } }), 201);

    const phone = await api.createProfile({ identity_attributes: { email: ADA.email }, traits: { name: ADA.name, interests: [ADA.interests[0]] } });
    const laptop = await api.createProfile({ traits: { interests: [ADA.interests[1]] } });
    subject.phone = phone.body.profile_id;
    subject.laptop = laptop.body.profile_id;
    subject.trackers = [phone.body.anonymous_profile_tracker, laptop.body.anonymous_profile_tracker];
    expectStatus(await api.signIn(ADA.user, subject.trackers[0]), 200);
    const merged = await api.signIn(ADA.user, subject.trackers[1]);
    expectStatus(merged, 200);
    expect(merged.body.merged_from.map((m: { profile_id: string }) => m.profile_id)).toEqual([subject.laptop]);
    grace = (await api.createProfile({ identity_attributes: { email: GRACE.email }, traits: { name: GRACE.name } })).body.profile_id;

    await api.catchUp();
    subject.beforePosition = (await api.logHead())!;
    subject.beforeTime = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const deleted = await api.deleteProfile(subject.laptop);
    expectStatus(deleted, 204);
    await api.catchUp();
  });

  afterAll(async () => {
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Every way a reader could reach the erased person answers as if they never existed. */
  async function expectForgotten(): Promise<void> {
    for (const id of [subject.phone, subject.laptop]) {
      expectError(await api.getProfile(id), 404);
      expectError(await api.request('GET', `/profiles/${id}?as_of=${subject.beforePosition}`), 404);
      expectError(await api.request('GET', `/profiles/${id}?as_of=${encodeURIComponent(subject.beforeTime)}`), 404);
      expectError(await api.request('GET', `/profiles/${id}/history`), 404);
      expectError(await api.request('GET', `/profiles/${id}/export`), 404);
    }
    for (const filter of [`identity_attributes.email eq ${ADA.email}`, 'traits.name co Lovelace', `user_id eq ${ADA.user}`]) {
      const listed = await api.listProfiles({ filter });
      expectStatus(listed, 200);
      expect(listed.body.profiles).toEqual([]);
    }
    // Its cookie no longer leads anywhere: the browser gets a new, empty profile.
    const again = await api.createProfile({}, { cookie: `cds_profile=${subject.trackers[0]}` });
    expectStatus(again, 201);
    expect([subject.phone, subject.laptop]).not.toContain(again.body.profile_id);
    expect(again.body.traits).toEqual({});
    // Everyone else is untouched.
    const other = await api.getProfile(grace);
    expectStatus(other, 200);
    expect(other.body).toMatchObject({ identity_attributes: { email: GRACE.email }, traits: { name: GRACE.name } });
  }

  /** `trackers`: the erased profiles' trackers no later activity has taken up again (see below). */
  async function expectNoByteLeft(trackers = subject.trackers): Promise<void> {
    const findings = await scanDirectory(dataDir, [ADA.email, ADA.name, ...ADA.interests, ADA.user, ...trackers]);
    if (findings.length > 0) throw new Error(`personal data of the erased subject left in the data directory:\n${describeFindings(findings)}`);
  }

  it('answers 404 everywhere, at any point in time, and leaves everyone else alone', async () => {
    await expectForgotten();
  });

  it('leaves no byte of what was written to the erased profiles in the data directory', async () => {
    await expectNoByteLeft();
    // The scan reads what is there: the log keeps ids in the clear (stream names), values never;
    // the read model (disposable, rebuilt from the log) holds the live profiles as they are.
    const log = join(dataDir, 'log');
    expect((await scanDirectory(log, [grace])).length).toBeGreaterThan(0);
    expect(await scanDirectory(log, [GRACE.email, GRACE.name])).toEqual([]);
    expect((await scanDirectory(join(dataDir, 'read-model'), [GRACE.email])).length).toBeGreaterThan(0);
  });

  it('starts a new profile for activity that arrives later for its tracker, never the old one', async () => {
    const ingest = running.app.get(ActivityIngestService);
    const message = { topic: 'cds.activity', partition: 0, offset: '1', key: subject.trackers[1] };
    const value = JSON.stringify({ org: 'forget', event_id: 'late-activity', anonymous_profile_tracker: subject.trackers[1], traits: { name: 'Someone New' } });
    expect(await ingest.handle(KAFKA, [{ ...message, value }])).toEqual([{ kind: 'applied' }]);
    await api.catchUp();
    const listed = await api.listProfiles({ filter: 'traits.name eq Someone New' });
    expect(listed.body.profiles).toHaveLength(1);
    expect([subject.phone, subject.laptop]).not.toContain(listed.body.profiles[0].profile_id);
    await expectForgotten();
  });

  it('stays erased after a restart, which replays the log', async () => {
    await running.stop();
    await start();
    await api.catchUp();
    await expectForgotten();
    // The laptop's browser kept its cookie, and its later activity started a new profile under it.
    await expectNoByteLeft([subject.trackers[0]]);
  });

  it('stays erased after a rebuild of the read model', async () => {
    const adminToken = readFileSync(join(dataDir, 'admin.token'), 'utf8').trim();
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${running.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    expect((await admin('POST', '/admin/rebuild', {})).status).toBe(202);
    let job: { state: string } = { state: 'running' };
    for (let i = 0; i < 400 && job.state === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      job = (await (await admin('GET', '/admin/rebuild')).json()) as { state: string };
    }
    expect(job.state).toBe('succeeded');
    await expectForgotten();
  });
});
