/** A MongoDB connection string that cannot work, with the reason. Credentials are masked. */
export class InvalidMongoUrlError extends Error {
  constructor(readonly url: string, readonly reason: string) {
    super(`Invalid MongoDB URL "${maskCredentials(url)}": ${reason}`);
    this.name = 'InvalidMongoUrlError';
  }
}

const SCHEMES = ['mongodb://', 'mongodb+srv://'] as const;
const HOST_NAME = /^(?:[A-Za-z0-9._~!$&'()*+;=-]|%[0-9A-Fa-f]{2})+$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+(?:%25[A-Za-z0-9._~-]+)?\]$/;
const PORT = /^[0-9]{1,5}$/;

/** Hides the password (and user) of `mongodb://user:pass@host` so errors can be logged. */
export function maskCredentials(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^/?#]*@/i, '$1***@');
}

/**
 * Checks the shape of a `mongodb://` or `mongodb+srv://` connection string and returns it, or
 * throws an InvalidMongoUrlError saying what is wrong, before the driver tries to connect.
 */
export function assertMongoUrl(url: unknown): string {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new InvalidMongoUrlError(String(url ?? ''), 'it is empty; expected mongodb://host[:port][/database][?options]');
  }
  const fail = (reason: string): never => {
    throw new InvalidMongoUrlError(url, reason);
  };
  if (/\s/.test(url)) fail('it contains whitespace');
  const scheme = SCHEMES.find((s) => url.toLowerCase().startsWith(s));
  if (scheme === undefined) fail('it must start with mongodb:// or mongodb+srv://');
  const srv = scheme === 'mongodb+srv://';
  const rest = url.slice(scheme!.length);

  const authorityEnd = rest.search(/[/?]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd === -1 ? '' : rest.slice(authorityEnd);

  const at = authority.lastIndexOf('@');
  const userInfo = at === -1 ? undefined : authority.slice(0, at);
  const hostList = at === -1 ? authority : authority.slice(at + 1);
  if (userInfo !== undefined) {
    if (userInfo.includes('@')) fail('the user name or password holds an "@"; percent-encode it as %40');
    const [user] = userInfo.split(':');
    if (user === '') fail('the user name is empty');
    if (/%(?![0-9A-Fa-f]{2})/.test(userInfo)) fail('the credentials hold a malformed percent-encoding');
  }

  if (hostList === '') fail('no host is given');
  const hosts = hostList.split(',');
  if (srv && hosts.length !== 1) fail('mongodb+srv:// takes exactly one host name');
  for (const entry of hosts) {
    if (entry === '') fail('the host list has an empty entry');
    const ipv6 = entry.startsWith('[');
    const close = ipv6 ? entry.indexOf(']') : -1;
    const colon = ipv6 ? (entry[close + 1] === ':' ? close + 1 : -1) : entry.lastIndexOf(':');
    const host = colon === -1 ? entry : entry.slice(0, colon);
    const port = colon === -1 ? undefined : entry.slice(colon + 1);
    if (ipv6 ? !IPV6.test(host) : !HOST_NAME.test(host) || host.includes(':')) fail(`"${host}" is not a valid host`);
    if (ipv6 && colon === -1 && close !== entry.length - 1) fail(`"${entry}" is not a valid host`);
    if (port !== undefined) {
      if (srv) fail('mongodb+srv:// takes no port');
      if (!PORT.test(port) || Number(port) < 1 || Number(port) > 65535) fail(`"${port}" is not a valid port (1-65535)`);
    }
  }

  if (tail !== '') {
    const query = tail.indexOf('?');
    const path = query === -1 ? tail : tail.slice(0, query);
    const options = query === -1 ? undefined : tail.slice(query + 1);
    if (path !== '' && path !== '/') {
      const database = decodeSafely(path.slice(1), fail);
      if (/[/\\. "$*<>:|?]/.test(database)) fail(`"${database}" is not a valid database name`);
    }
    if (options !== undefined && options !== '') {
      for (const pair of options.split('&')) {
        const eq = pair.indexOf('=');
        if (eq <= 0) fail(`option "${pair}" is not of the form name=value`);
      }
    }
  }
  return url;
}

function decodeSafely(text: string, fail: (reason: string) => never): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return fail(`"${text}" holds a malformed percent-encoding`);
  }
}
