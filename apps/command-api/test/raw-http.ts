import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: any;
}

/**
 * Sends one request as raw bytes, for what fetch cannot send: a header line repeated, headers
 * past Node's own limits. `headers` are sent in order, as given.
 */
export function rawRequest(baseUrl: string, method: string, path: string, headers: Array<[string, string]>, body = ''): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Connection: close', ...headers.map(([name, value]) => `${name}: ${value}`)];
  if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const received = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      const payload = rest.join('\r\n\r\n');
      resolve({ status: Number(statusLine.split(' ')[1]), headers: received, body: payload && received['content-type']?.includes('json') ? JSON.parse(payload) : payload });
    });
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
}
