import {
  assertEsdbConnectionString,
  InvalidEsdbConnectionStringError,
  maskEsdbCredentials,
} from './esdb-connection-string';
import { createEsdbClient } from './esdb-client';

describe('assertEsdbConnectionString', () => {
  it.each([
    'esdb://localhost:2113',
    'esdb://127.0.0.1:2113?tls=false',
    'esdb://admin:changeit@node1.example.com:2113,node2.example.com:2113,node3.example.com?nodePreference=leader',
    'esdb+discover://cluster.example.com:2113?tlsCAFile=ca.crt&keepAliveInterval=10000',
    'esdb://localhost/',
    'esdb://user%40corp:p%3Ass@localhost:2113?TLS=false&throw-on-append-failure=true',
  ])('accepts %s', (connectionString) => {
    expect(assertEsdbConnectionString(connectionString)).toBe(connectionString);
  });

  it.each([
    [undefined, /it is empty/],
    ['', /it is empty/],
    ['   ', /it is empty/],
    ['localhost:2113', /it has no scheme/],
    ['http://localhost:2113', /scheme "http:\/\/" is not supported/],
    ['kurrentdb://localhost:2113', /scheme "kurrentdb:\/\/" is not supported/],
    ['ESDB://localhost:2113', /scheme "ESDB:\/\/" is not supported/],
    ['esdb:/localhost:2113', /it has no scheme/],
    ['esdb://', /no host is given/],
    ['esdb://?tls=false', /no host is given/],
    ['esdb://localhost:2113 ', /whitespace/],
    ['esdb://localhost:port', /"port" is not a valid port/],
    ['esdb://localhost:0', /"0" is not a valid port/],
    ['esdb://localhost:65536', /"65536" is not a valid port/],
    ['esdb://a:1,,b:2', /empty entry/],
    ['esdb://[::1]:2113', /IPv6 literals are not supported/],
    ['esdb://local_host', /not a valid host/],
    ['esdb://localhost:2113/db', /a path is not allowed/],
    ['esdb+discover://a.example.com,b.example.com', /exactly one DNS name/],
    ['esdb://admin@localhost', /user:password@/],
    ['esdb://admin:@localhost', /the password is empty/],
    ['esdb://localhost?tls', /not of the form key=value/],
    ['esdb://localhost?tls=yes', /must be true or false/],
    ['esdb://localhost?throwOnAppendFailure=false', /throwOnAppendFailure=false is not supported/],
  ])('refuses %p', (connectionString, reason) => {
    expect(() => assertEsdbConnectionString(connectionString)).toThrow(InvalidEsdbConnectionStringError);
    expect(() => assertEsdbConnectionString(connectionString)).toThrow(reason);
  });

  it('never shows the password in the error', () => {
    const error = captured(() => assertEsdbConnectionString('esdb://admin:s3cret@localhost:99999'));
    expect(error).toBeInstanceOf(InvalidEsdbConnectionStringError);
    expect(error.message).not.toContain('s3cret');
    expect(error.message).toContain('esdb://***@localhost:99999');
  });
});

describe('maskEsdbCredentials', () => {
  it('hides user and password, and leaves strings without credentials alone', () => {
    expect(maskEsdbCredentials('esdb://admin:changeit@a:1,b:2?tls=true')).toBe('esdb://***@a:1,b:2?tls=true');
    expect(maskEsdbCredentials('esdb://a:1?x=y@z')).toBe('esdb://a:1?x=y@z');
  });
});

describe('createEsdbClient', () => {
  it('builds a client for a valid string without contacting the server', async () => {
    const client = createEsdbClient('esdb://127.0.0.1:1?tls=false');
    await client.dispose();
  });

  it("wraps the client's own refusals in InvalidEsdbConnectionStringError", () => {
    const error = captured(() => createEsdbClient('esdb://localhost?tlsCAFile=missing-ca-file.crt'));
    expect(error).toBeInstanceOf(InvalidEsdbConnectionStringError);
    expect(error.message).toMatch(/certificate file/i);
  });
});

function captured(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
