import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@cds/runtime';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const logger = new Logger('CustomerDataService');
  logger.log(`listening on http://${config.host}:${config.port} (log: ${config.eventStore.kind}, read model: ${config.readModel.kind}, data: ${config.dataDir})`);
  if (config.auth.devClient?.clientId === 'cds-dev-client') {
    logger.warn('built-in issuer uses the default dev client (cds-dev-client / cds-dev-secret); set CDS_DEV_CLIENT_ID and CDS_DEV_CLIENT_SECRET');
  }
}

main().catch((error) => {
  // A configuration or start-up problem: say what it is and exit non-zero, no stack noise.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
