import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@cds/runtime';
import { createApp } from '../../create-app';
import { buildOpenApiDocument } from './openapi';

/**
 * Prints the API document as JSON on stdout, from an app on a throw-away data directory that
 * never listens: `node dist/apps/command-api/src/observability/openapi/print-openapi.js`.
 */
async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cds-openapi-'));
  try {
    const app = await createApp(loadConfig({ CDS_DATA_DIR: dataDir }), { logger: false });
    await app.init();
    process.stdout.write(`${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
    await app.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
