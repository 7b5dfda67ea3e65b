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
