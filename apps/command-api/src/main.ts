import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { limitHeapGrowth, loadConfig } from '@cds/runtime';
import { createApp } from './create-app';
import { logSettings } from './observability/json-logger';

async function main(): Promise<void> {
  limitHeapGrowth();
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const logger = new Logger('CustomerDataService');
  logger.log(`listening on http://${config.host}:${config.port} (log: ${config.eventStore.kind}, read model: ${config.readModel.kind}, data: ${config.dataDir})`);
  logger.log(`OpenAPI at /openapi.json, Swagger UI at /docs, Prometheus metrics at /metrics`);
  if (config.auth.devClient?.clientId === 'cds-dev-client') {
    logger.warn('built-in issuer uses the default dev client (cds-dev-client / cds-dev-secret); set CDS_DEV_CLIENT_ID and CDS_DEV_CLIENT_SECRET');
  }
}

main().catch((error) => {
  // A configuration or start-up problem: say what it is and exit non-zero, no stack noise.
  const message = error instanceof Error ? error.message : String(error);
  console.error(jsonLogs() ? JSON.stringify({ level: 'fatal', time: new Date().toISOString(), context: 'CustomerDataService', message }) : message);
  process.exit(1);
});

function jsonLogs(): boolean {
  try {
    return logSettings().format === 'json';
  } catch {
    return false;
  }
}
