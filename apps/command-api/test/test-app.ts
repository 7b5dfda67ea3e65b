import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@cds/runtime';
import { createApp, CreateAppOptions } from '../src/create-app';

export interface RunningApp {
  app: NestFastifyApplication;
  baseUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** The embedded default on a random port with a fresh data directory, as `npm start` runs it. */
export async function startTestApp(
  env: Record<string, string> = {},
  options: CreateAppOptions & { dataDir?: string } = {},
): Promise<RunningApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cds-e2e-'));
  const config = loadConfig({
    CDS_DATA_DIR: dataDir,
    CDS_PORT: '0',
    CDS_DEV_CLIENT_ID: 'test-client',
    CDS_DEV_CLIENT_SECRET: 'test-secret',
    ...env,
  });
  const app = await createApp(config, { logger: ['error'], ...options });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    stop: async () => {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
