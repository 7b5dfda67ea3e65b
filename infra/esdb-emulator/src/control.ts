/**
 * The emulator's fault controls over HTTP (loopback only), for tests that run the emulator as a
 * separate process. Test infrastructure: nothing like it exists on a real server.
 *
 *   GET  /faults                                                         the state, as JSON
 *   POST /faults/drop-subscriptions {"reason"?, "after_events"?}         reason: unavailable (default) | consumer-too-slow
 *   POST /faults/refuse-appends     {"reason", "count"?}                 reason: not-ready | too-busy | commit-timeout
 *   POST /faults/delay-appends      {"ms"}
 *   POST /faults/clear
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AppendRefusal, Faults, SubscriptionDrop } from './faults';

const DROPS: readonly SubscriptionDrop[] = ['unavailable', 'consumer-too-slow'];
const REFUSALS: readonly AppendRefusal[] = ['not-ready', 'too-busy', 'commit-timeout'];

export function startControlServer(faults: Faults, host: string, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void answer(faults, req, res).catch((error: unknown) => send(res, 400, { error: error instanceof Error ? error.message : String(error) }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      resolve({ server, url: `http://${host}:${bound}` });
    });
  });
}

async function answer(faults: Faults, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://emulator').pathname;
  if (req.method === 'GET' && path === '/faults') return send(res, 200, faults.state());
  if (req.method !== 'POST') return send(res, 404, { error: 'GET /faults or POST /faults/...' });
  const body = await readJson(req);
  switch (path) {
    case '/faults/drop-subscriptions': {
      const reason = oneOf(body.reason ?? 'unavailable', DROPS, 'reason');
      const dropped = faults.dropSubscriptions(reason, wholeNumber(body.after_events ?? 0, 'after_events'));
      return send(res, 200, { subscriptions: dropped, ...faults.state() });
    }
    case '/faults/refuse-appends':
      faults.refuseAppends(oneOf(body.reason, REFUSALS, 'reason'), body.count === undefined ? undefined : wholeNumber(body.count, 'count'));
      return send(res, 200, faults.state());
    case '/faults/delay-appends':
      faults.delayAppends(wholeNumber(body.ms, 'ms'));
      return send(res, 200, faults.state());
    case '/faults/clear':
      faults.clear();
      return send(res, 200, faults.state());
    default:
      return send(res, 404, { error: `no control at ${path}` });
  }
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`${name} must be one of ${allowed.join(', ')}`);
}

function wholeNumber(value: unknown, name: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new Error(`${name} must be a whole number`);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 10_000) throw new Error('body too large');
  }
  if (text.trim() === '') return {};
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
