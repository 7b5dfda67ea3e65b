import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

/**
 * The yardstick for the PATCH route: Fastify alone, answering the same JSON the service answers
 * (read from the file given), on the same path, with no work behind it. argv: <port> <body file>
 */
async function main(): Promise<void> {
  const [port, bodyFile] = process.argv.slice(2);
  const body = readFileSync(bodyFile, 'utf8');
  const app = Fastify({ logger: false });
  app.patch('/t/:org/cds/api/v1/profiles/:id', async (_request, reply) => reply.header('content-type', 'application/json; charset=utf-8').send(body));
  app.get('/health/live', async () => ({ status: 'ok' }));
  await app.listen({ port: Number(port), host: '127.0.0.1' });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
