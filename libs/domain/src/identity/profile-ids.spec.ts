import { isUuid, profileIdForTracker, trackerForIdempotencyKey } from './profile-ids';

const TRACKER = '526d5ef6-2648-48c4-b64d-82d3e0c271bf';

describe('profileIdForTracker', () => {
  it('always leads the same tracker of a tenant to the same profile', () => {
    expect(profileIdForTracker('acme', TRACKER)).toBe(profileIdForTracker('acme', TRACKER));
  });

  it('is a UUID (name-based, version 5)', () => {
    const id = profileIdForTracker('acme', TRACKER);
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('5');
  });

  it('gives different profiles to the same tracker in different tenants', () => {
    expect(profileIdForTracker('acme', TRACKER)).not.toBe(profileIdForTracker('globex', TRACKER));
  });

  it('gives different profiles to different trackers', () => {
    expect(profileIdForTracker('acme', TRACKER)).not.toBe(profileIdForTracker('acme', '626d5ef6-2648-48c4-b64d-82d3e0c271bf'));
  });
});

describe('trackerForIdempotencyKey', () => {
  it('gives a retried create the same tracker, hence the same profile', () => {
    const first = trackerForIdempotencyKey('acme', 'create-42');
    expect(trackerForIdempotencyKey('acme', 'create-42')).toBe(first);
    expect(profileIdForTracker('acme', trackerForIdempotencyKey('acme', 'create-42'))).toBe(profileIdForTracker('acme', first));
  });

  it('is a UUID that differs by key and by tenant', () => {
    const tracker = trackerForIdempotencyKey('acme', 'create-42');
    expect(isUuid(tracker)).toBe(true);
    expect(trackerForIdempotencyKey('acme', 'create-43')).not.toBe(tracker);
    expect(trackerForIdempotencyKey('globex', 'create-42')).not.toBe(tracker);
  });
});
