export * from './cds-config';
export * from './adapters';
export * from './projector-metrics';
export * from './heap-growth';
export * from './live-projection';
export * from './unification-host';
