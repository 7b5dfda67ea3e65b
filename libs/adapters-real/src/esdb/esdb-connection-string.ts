/**
 * Checks an EventStoreDB connection string before the client sees it. The client's own parser
 * reports errors as "Unexpected ... at position N"; this says what is wrong in words, masks the
 * password, and refuses settings the adapter cannot honour.
 */

/** A connection string the adapter cannot use, with the reason. Credentials are masked. */
export class InvalidEsdbConnectionStringError extends Error {
  constructor(
    readonly connectionString: string,
    readonly reason: string,
    override readonly cause?: unknown,
  ) {
    super(`Invalid EventStoreDB connection string "${maskEsdbCredentials(connectionString)}": ${reason}`);
    this.name = 'InvalidEsdbConnectionStringError';
  }
}

const SCHEMES = ['esdb://', 'esdb+discover://'] as const;
const FORM = 'esdb://[user:password@]host[:port][,host[:port]...][?key=value&...] or esdb+discover://...';
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const PORT = /^[0-9]{1,5}$/;

/** Hides the credentials of `esdb://user:pass@host` so the string can be logged. */
export function maskEsdbCredentials(connectionString: string): string {
  return connectionString.replace(/^([A-Za-z+]+:\/\/)[^/?#]*@/, '$1***@');
}

/**
 * Returns the connection string when its shape is usable, or throws an
 * InvalidEsdbConnectionStringError naming the problem. It checks only the shape; whether a
 * server answers is known at the first call.
 */
export function assertEsdbConnectionString(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidEsdbConnectionStringError(String(value ?? ''), `it is empty; expected ${FORM}`);
  }
  const text = value;
  const fail = (reason: string): never => {
    throw new InvalidEsdbConnectionStringError(text, reason);
  };
  if (/\s/.test(text)) fail('it contains whitespace');
  const scheme = SCHEMES.find((candidate) => text.startsWith(candidate));
  if (scheme === undefined) {
    const given = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text)?.[1];
    fail(
      given === undefined
        ? `it has no scheme; expected ${FORM}`
        : `the scheme "${given}://" is not supported; use esdb:// (one or more nodes) or esdb+discover:// (cluster DNS discovery)`,
    );
  }
  const rest = text.slice(scheme!.length).replace(/\/+$/, '');
  const queryAt = rest.indexOf('?');
  const authority = queryAt === -1 ? rest : rest.slice(0, queryAt);
  const query = queryAt === -1 ? '' : rest.slice(queryAt + 1);

  const at = authority.lastIndexOf('@');
  const hostList = at === -1 ? authority : authority.slice(at + 1);
  if (at !== -1) checkCredentials(authority.slice(0, at), fail);
  checkHosts(hostList, scheme === 'esdb+discover://', fail);
  if (query !== '') checkOptions(query, fail);
  return text;
}

function checkCredentials(userInfo: string, fail: (reason: string) => never): void {
  const colon = userInfo.indexOf(':');
  if (colon <= 0) fail('credentials must be given as user:password@');
  if (colon === userInfo.length - 1) fail('the password is empty');
  if (userInfo.includes('@')) fail('the user name or password holds an "@"; percent-encode it as %40');
  try {
    decodeURIComponent(userInfo);
  } catch {
    fail('the credentials hold a malformed percent-encoding');
  }
}

function checkHosts(hostList: string, discover: boolean, fail: (reason: string) => never): void {
  if (hostList === '') fail('no host is given');
  if (hostList.includes('/')) fail('a path is not allowed after the hosts; options go after "?"');
  const hosts = hostList.split(',');
  if (discover && hosts.length !== 1) fail('esdb+discover:// takes exactly one DNS name');
  for (const entry of hosts) {
    if (entry === '') fail('the host list has an empty entry');
    const parts = entry.split(':');
    if (parts.length > 2) fail(`"${entry}" is not host or host:port (IPv6 literals are not supported by the client)`);
    const [host, port] = parts;
    if (!HOST.test(host)) fail(`"${host}" is not a valid host name or IPv4 address`);
    if (port !== undefined && (!PORT.test(port) || Number(port) < 1 || Number(port) > 65535)) {
      fail(`"${port}" is not a valid port (1-65535)`);
    }
  }
}

/** Option names are matched like the client does: case-insensitive, ignoring "-" and "_". */
const flat = (name: string): string => name.toLowerCase().replace(/[-_]/g, '');
const BOOLEAN_OPTIONS = new Set(['tls', 'tlsverifycert', 'throwonappendfailure', 'dnsdiscover']);

function checkOptions(query: string, fail: (reason: string) => never): void {
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) fail(`option "${pair}" is not of the form key=value`);
    const key = flat(pair.slice(0, eq));
    const optionValue = pair.slice(eq + 1);
    if (BOOLEAN_OPTIONS.has(key) && optionValue !== 'true' && optionValue !== 'false') {
      fail(`option "${pair.slice(0, eq)}" must be true or false`);
    }
    // A refused append must throw: the adapter turns the client's WrongExpectedVersionError into
    // the port's WrongExpectedRevisionError, and the "success: false" result the client returns
    // instead reports the wrong current revision on BatchAppend (client 6.x).
    if (key === 'throwonappendfailure' && optionValue === 'false') {
      fail('throwOnAppendFailure=false is not supported; the adapter needs refused appends to throw');
    }
  }
}
