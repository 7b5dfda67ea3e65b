import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthError, CLOCK_SKEW_SECONDS, TOKEN_TTL_SECONDS, TokenService } from './token-service';

const CLIENT = { clientId: 'client', clientSecret: 'secret' };

describe('TokenService', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cds-tokens-'));
  const tokens = new TokenService({ devClient: CLIENT, jwksUrl: null, jwtIssuer: null }, dataDir);

  afterEach(() => jest.useRealTimers());
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const issue = async (scopes: string[] | null = null) => (await tokens.issue('acme', CLIENT.clientId, CLIENT.clientSecret, scopes)).access_token;

  it('answers a token seen before with the same principal it verified', async () => {
    const token = await issue(['internal_cds_profile_view']);
    const first = await tokens.verify(token);
    const again = await tokens.verify(token);
    expect(again).toEqual({ clientId: 'client', organization: 'acme', scopes: new Set(['internal_cds_profile_view']) });
    expect(again).toBe(first);
  });

  it('refuses a token it verified before once the token has expired', async () => {
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate'] });
    const token = await issue();
    await tokens.verify(token);
    jest.setSystemTime(Date.now() + (TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS + 1) * 1000);
    await expect(tokens.verify(token)).rejects.toThrow(AuthError);
  });

  it('still checks the signature of a token that differs from a verified one', async () => {
    const token = await issue();
    await tokens.verify(token);
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('A') ? 'BB' : 'AA'}`;
    await expect(tokens.verify(forged)).rejects.toThrow(AuthError);
  });
});
