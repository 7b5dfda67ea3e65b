export * from './cds-config';
export * from './adapters';
