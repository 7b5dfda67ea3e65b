import { ConfigError, loadConfig } from './cds-config';

describe('configuration of the operators\' features', () => {
  it('takes the admin token from CDS_ADMIN_TOKEN, or none (one is generated into the data directory)', () => {
    expect(loadConfig({}).admin.token).toBeNull();
    expect(loadConfig({ CDS_ADMIN_TOKEN: '  an-operator-token-123  ' }).admin.token).toBe('an-operator-token-123');
    expect(() => loadConfig({ CDS_ADMIN_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ CDS_ADMIN_TOKEN: 'has a space in it here' })).toThrow(ConfigError);
  });

  it('skips poison events unless told to halt', () => {
    expect(loadConfig({}).projectorOnPoison).toBe('skip');
    expect(loadConfig({ CDS_PROJECTOR_ON_POISON: 'halt' }).projectorOnPoison).toBe('halt');
    expect(() => loadConfig({ CDS_PROJECTOR_ON_POISON: 'ignore' })).toThrow(/skip or halt/);
  });
});

describe('configuration of the projection', () => {
  it('runs one partition with a 3 s lease unless told otherwise, renewing three times a lease', () => {
    expect(loadConfig({}).projection).toEqual({ partitions: 1, batchSize: 1000, onPoison: 'skip', leaseTtlMs: 3000, leaseIntervalMs: 1000 });
    expect(loadConfig({ CDS_PROJECTOR_PARTITIONS: '8', CDS_PROJECTOR_BATCH_SIZE: '250', CDS_PROJECTOR_LEASE_TTL_MS: '9000' }).projection).toMatchObject({
      partitions: 8,
      batchSize: 250,
      leaseTtlMs: 9000,
      leaseIntervalMs: 3000,
    });
  });

  it.each([
    ['CDS_PROJECTOR_PARTITIONS', '0'],
    ['CDS_PROJECTOR_PARTITIONS', '257'],
    ['CDS_PROJECTOR_PARTITIONS', 'four'],
    ['CDS_PROJECTOR_BATCH_SIZE', '-1'],
    ['CDS_PROJECTOR_LEASE_TTL_MS', '10'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});
